/*
 * account.c - one-time passwords, password hashes and their check for
 * newsroom accounts (account.h), shared by 'sinmun user' and the newsroom.
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

/* A hash of a random password nobody knows, made with the same limits as
 * real ones (argon2id, interactive), so that checking it costs what
 * checking a real one does. */
static const char dummy_hash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$KmMs6vvJtPOD8BcuoXYbTQ$DwcwWR5fxE2g0LaGSnrbjCnReIXDSqNy4yNogP2hwcM";

int
news_password_verify(const char *hash, const char *password)
{
	int ok;

	/* Idempotent and thread-safe; picks the fastest implementation. */
	if (sodium_init() < 0)
		return 0;
	ok = crypto_pwhash_str_verify(hash ? hash : dummy_hash, password, strlen(password)) == 0;
	return hash != NULL && ok;
}
