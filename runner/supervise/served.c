/* served.c — see served.h. */
#include "served.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int eb_served_start(eb_served *s, const char *path, char *const argv[])
{
    memset(s, 0, sizeof *s);
    int rc = eb_child_start(path, argv, true, &s->child, &s->result);
    if (rc != 0) s->ended = true;
    return rc;
}

/* The point ended: reap it and keep what it said. */
static int ended(eb_served *s)
{
    if (!s->ended) eb_child_finish(&s->child);
    s->ended = true;
    return -EPIPE;
}

int eb_served_call(eb_served *s, const char *command, int64_t timeout_ns, eb_child_tick_fn tick,
                   void *tick_arg, const char **reply, size_t *len)
{
    if (s->ended) return -EPIPE;
    size_t n = strlen(command);
    char *line = malloc(n + 2);
    if (line == NULL) return -ENOMEM;
    memcpy(line, command, n);
    line[n++] = '\n';
    size_t sent = 0;
    while (sent < n) {
        ssize_t w = write(s->child.command_fd, line + sent, n - sent);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break; /* EPIPE: it is gone; the pump below reads why */
        sent += (size_t)w;
    }
    free(line);
    size_t from = s->taken;
    if (sent < n || !eb_child_pump(&s->child, timeout_ns, &from, tick, tick_arg)) return ended(s);
    /* the reply: stdout from what was taken to the newline before `from` */
    eb_child_stream *out = &s->child.out;
    size_t reply_len = from - 1 - s->taken;
    char *text = malloc(reply_len + 1);
    if (text == NULL) return -ENOMEM;
    memcpy(text, out->buf + s->taken, reply_len);
    text[reply_len] = '\0';
    /* what came after it stays for the next call */
    memmove(out->buf, out->buf + from, out->len - from);
    out->len -= from;
    out->buf[out->len] = '\0';
    s->taken = 0;
    free(s->reply);
    s->reply = text;
    *reply = text;
    *len = reply_len;
    return 0;
}

void eb_served_stop(eb_served *s, int64_t grace_ns)
{
    if (s->ended) return;
    close(s->child.command_fd);
    s->child.command_fd = -1;
    eb_child_pump(&s->child, grace_ns, NULL, NULL, NULL);
    ended(s);
}

void eb_served_free(eb_served *s)
{
    free(s->reply);
    s->reply = NULL;
    eb_child_result_free(&s->result);
}
