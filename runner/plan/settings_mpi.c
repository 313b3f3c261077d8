/* settings_mpi.c — the names and checks the settings table's mpi entries
 * call (settings.h), from the mpi executor's own (mpi_config.h) and the registry. */
#include "settings.h"
#include "settings_names.h"

#include "err.h"
#include "executor.h"
#include "mpi_config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

const char *eb_names_mpi_claim(size_t i)
{
    return eb_mpi_claim_name(i);
}

const char *eb_names_mpi_binding(size_t i)
{
    return eb_mpi_binding_name(i);
}

/* A rank's share runs on one host: any executor of the registry but those
 * that need a setup of their own (mpi itself) or fork (a forked child may
 * not call MPI, and its workers claim tasks through MPI). */
static bool rank_usable(const eb_executor *e)
{
    return !e->named_only && e->absent == NULL && !e->forks;
}

void eb_names_rank_executors(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < eb_executor_count && used < len; i++)
        if (rank_usable(eb_executors[i]))
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
                                     eb_executors[i]->name);
}

int eb_check_rank_executor(const char *value, char *why, size_t why_len)
{
    const eb_executor *e = eb_executor_find(value);
    if (e != NULL && rank_usable(e)) return 0;
    char names[256];
    eb_names_rank_executors(names, sizeof names);
    return eb_fail(why, why_len, -EINVAL, "--rank-executor: '%s' cannot run a rank's share; use %s",
                   value, names);
}
