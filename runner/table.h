/* table.h — the short console table at the end of a run, read back from the
 * document itself: per workload, each point's executor, workers, median,
 * spread (cv), speedup against the sequential point of the same work, and
 * efficiency (ideal / median); then how many points varied by over 10%. */
#ifndef EB_TABLE_H
#define EB_TABLE_H

#include <jansson.h>
#include <stdio.h>

void eb_table_print(FILE *f, json_t *doc);

#endif
