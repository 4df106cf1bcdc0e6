/*
 * embed.h - files compiled into the binary (templates, static files,
 * migrations, demo content).  Names are repository paths such as
 * "templates/article.mustache".  Data is NUL-terminated after len bytes.
 */
#ifndef SINMUN_CORE_EMBED_H
#define SINMUN_CORE_EMBED_H

#include <stddef.h>

struct embed_file {
	const char          *name;
	const unsigned char *data;
	size_t               len;
};

extern const struct embed_file embed_files[];
extern const unsigned embed_count;

/* The file with exactly this name, or NULL. */
const struct embed_file *embed_find(const char *name);

#endif
