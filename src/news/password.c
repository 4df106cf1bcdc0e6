/*
 * password.c - checking a newsroom password against its argon2id hash
 * (made by news_password_hash, account.h), for the login and password
 * pages.
 */
#include "news/news.h"

#include <string.h>

#include <sodium.h>

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
