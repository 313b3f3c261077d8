/* protocol.h — a point process kept alive across the rounds of an
 * interleaved run, and told when to run (--order interleaved).
 *
 * Beside the report pipe (fd 3) and the progress pipe (fd 4) of crash.h, the
 * parent gives such a point process a command pipe as fd 5. Each command is
 * one line; each reply is one line on stdout: the point's results document,
 * compact (no newline inside). The point process exits 0 when the command
 * pipe ends (the parent closed it: the run is over for this point).
 *
 *   warmup      prepare the job and run the warm-up (--warmup runs); the reply
 *               is an empty document, or its error row
 *   run R       one timed repetition, in round R; the reply holds its one
 *               repetition row (libbenchmark's, enriched: point.h), and in
 *               its context execbench_own_cpu_ns, the CPU this process and
 *               its workers used for the command (the parent subtracts it
 *               from the machine's busy time: foreign CPU, disturb.h)
 *
 * A failure is an error row in the reply (the point then ends), or the
 * process's death, which the parent reads from fd 3 and its exit as before. */
#ifndef EB_PROTOCOL_H
#define EB_PROTOCOL_H

#include "crash.h"

#include <stddef.h>

#define EB_COMMAND_FD 5
#define EB_COMMAND_WARMUP "warmup"
#define EB_COMMAND_RUN "run"

/* The point's side: reads the next command line from fd 5 into buf (without
 * its newline). Returns its length, 0 when the pipe ended, or -errno (a line
 * longer than buf is -EMSGSIZE). */
long eb_protocol_next_command(char *buf, size_t len);

#endif
