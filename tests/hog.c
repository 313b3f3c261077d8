/* hog.c — a machine disturbed on purpose, for the tests of the rounds'
 * disturbance detection (issue 13): one CPU busy BUSY_MS of every PERIOD_MS,
 * busy first, for SECONDS in all.
 *
 *   hog BUSY_MS PERIOD_MS SECONDS [CPU]
 *
 * With CPU it pins itself there. It prints "hog: busy" on stdout once it
 * spins, so the caller starts what it measures inside a busy phase. */
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "hog: usage: hog BUSY_MS PERIOD_MS SECONDS [CPU]\n");
        return 2;
    }
    int64_t busy = atoll(argv[1]) * 1000000, period = atoll(argv[2]) * 1000000;
    int64_t end = now_ns() + atoll(argv[3]) * 1000000000;
    if (argc > 4) {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET((size_t)atoi(argv[4]), &one);
        if (sched_setaffinity(0, sizeof one, &one) != 0) perror("hog: sched_setaffinity");
    }
    volatile uint64_t sink = 0;
    int first = 1;
    while (now_ns() < end) {
        int64_t start = now_ns();
        if (first) {
            printf("hog: busy\n");
            fflush(stdout);
            first = 0;
        }
        while (now_ns() - start < busy)
            for (int i = 0; i < 10000; i++)
                sink += (uint64_t)i * (uint64_t)i;
        int64_t rest = period - (now_ns() - start);
        if (rest > 0) {
            struct timespec t = {rest / 1000000000, rest % 1000000000};
            nanosleep(&t, NULL);
        }
    }
    return (int)(sink & 0);
}
