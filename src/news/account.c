/*
 * account.c - one-time passwords and password hashes for newsroom
 * accounts (account.h), shared by 'sinmun user' and the newsroom.
 */
#include "news/account.h"

#include <string.h>

void
news_one_time_password(char out[NEWS_ONE_TIME_LEN + 1])
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	int i;

	for (i = 0; i < NEWS_ONE_TIME_LEN; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[NEWS_ONE_TIME_LEN] = '\0';
}

int
news_password_hash(const char *password, char out[NEWS_HASH_MAX])
{
	return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}
