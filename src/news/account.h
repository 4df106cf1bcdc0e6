/*
 * account.h - what making a newsroom account needs wherever it is made
 * ('sinmun user add' and the newsroom's accounts page): one-time
 * passwords and their argon2id hashes.
 */
#ifndef SINMUN_NEWS_ACCOUNT_H
#define SINMUN_NEWS_ACCOUNT_H

#include <stddef.h>

#include <sodium.h>

#define NEWS_ONE_TIME_LEN  16
#define NEWS_PASSWORD_MIN  10    /* characters */
#define NEWS_PASSWORD_MAX  256   /* bytes */
#define NEWS_HASH_MAX      crypto_pwhash_STRBYTES

/* A one-time password: letters and digits that cannot be mistaken for
 * one another (no 0/O, 1/l/I). */
void news_one_time_password(char out[NEWS_ONE_TIME_LEN + 1]);

/* The argon2id hash of a password (crypto_pwhash_str, interactive
 * limits) into out; 0, or -1 when out of memory. */
int news_password_hash(const char *password, char out[NEWS_HASH_MAX]);

#endif
