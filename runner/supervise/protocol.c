/* protocol.c — see protocol.h. */
#include "protocol.h"

#include <errno.h>
#include <unistd.h>

long eb_protocol_next_command(char *buf, size_t len)
{
    /* Byte by byte: a command is a few bytes, and nothing past its newline
     * may be taken from the pipe (the next command is read next time). */
    size_t n = 0;
    for (;;) {
        char c;
        ssize_t got = read(EB_COMMAND_FD, &c, 1);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return -errno;
        if (got == 0) return n == 0 ? 0 : -EPIPE; /* the parent is gone mid-line */
        if (c == '\n') break;
        if (n + 1 >= len) return -EMSGSIZE;
        buf[n++] = c;
    }
    buf[n] = '\0';
    return n == 0 ? -EINVAL : (long)n;
}
