/* interrupt.c — see interrupt.h. */
#include "interrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static int pipe_fds[2] = {-1, -1};
static volatile sig_atomic_t received, count;

static void on_signal(int sig)
{
    int saved = errno;
    if (received == 0) received = sig;
    count++;
    char byte = (char)sig;
    ssize_t rc = write(pipe_fds[1], &byte, 1);
    (void)rc;
    errno = saved;
}

int eb_interrupt_install(void)
{
    if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) return -errno;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    static const int signals[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof signals / sizeof *signals; i++)
        if (sigaction(signals[i], &sa, NULL) != 0) return -errno;
    return 0;
}

int eb_interrupt_fd(void)
{
    return pipe_fds[0];
}

int eb_interrupted(void)
{
    return received;
}

int eb_interrupt_count(void)
{
    return count;
}
