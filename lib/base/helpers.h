/* helpers.h — where the programs execbench ships with one another are.
 *
 * execbench runs execbench-micro (--micro), and execbench-micro runs a tiny
 * static program (micro.spawn/posix_spawn). In a build they all sit in build/;
 * installed, the commands are in bin/ and the program no one types in
 * libexec/execbench/. Both are found from this program's own path, so a build
 * tree and an installation anywhere (a prefix, a .deb) work without the
 * source tree and without a path written in at build time. */
#ifndef EB_HELPERS_H
#define EB_HELPERS_H

#include <stddef.h>

/* The path of helper `name`: beside this program (/proc/self/exe), else in
 * the libexec folder of the installation this program is in. Returns 0 with
 * an executable path in buf; -ENOENT with, in buf, the path beside this
 * program (for the message); or another negative errno. */
int eb_helper_path(const char *name, char *buf, size_t len);

#endif
