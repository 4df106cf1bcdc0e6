/*
 * account.h - newsroom passwords wherever they are made or checked
 * ('sinmun user', the newsroom's login, password and accounts pages):
 * one-time passwords, argon2id hashes, verification.
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

/* 1 when password matches the argon2id hash.  With hash NULL (no such
 * account, or no password) a fixed hash is checked all the same and 0
 * returned, so the time taken does not tell which accounts exist. */
int news_password_verify(const char *hash, const char *password);

#endif
