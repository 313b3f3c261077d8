/* net_fixture.c — see net_fixture.h. */
#include "net_fixture.h"

#include "eb_test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

void net_skip_without(eb_reactor_kind kind)
{
    eb_reactor_config config = {.kind = kind, .capacity = 1};
    eb_reactor *r;
    int rc = eb_reactor_create(&config, &r);
    if (kind == EB_REACTOR_IO_URING && (rc == -ENOSYS || rc == -EPERM))
        EB_SKIP("io_uring is not available here (%s)", strerror(-rc));
    EB_REQUIRE(rc == 0);
    eb_reactor_destroy(r);
}

eb_net_server *net_start(const eb_net_server_config *config)
{
    eb_net_server *s;
    int rc = eb_net_server_start(config, &s);
    EB_REQUIRE(rc == 0);
    return s;
}

long raw_exchange(uint16_t port, const char *request, char *buf, size_t cap)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    struct timeval limit = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    struct sockaddr_in addr = {
        .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    long got = 0;
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        send(fd, request, strlen(request), MSG_NOSIGNAL) != (ssize_t)strlen(request)) {
        got = -errno;
    } else {
        while ((size_t)got < cap - 1) {
            ssize_t n = recv(fd, buf + got, cap - 1 - (size_t)got, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                got = -errno;
                break;
            }
            if (n == 0) break;
            got += n;
        }
        if (got >= 0) buf[got] = '\0';
    }
    close(fd);
    return got;
}

int raw_status(const char *response)
{
    int status;
    if (sscanf(response, "HTTP/1.%*d %d", &status) != 1) return -1;
    return status;
}

const char *raw_body(const char *response, size_t len, size_t *body_len)
{
    const char *end = strstr(response, "\r\n\r\n");
    if (end == NULL) return NULL;
    *body_len = len - (size_t)(end + 4 - response);
    return end + 4;
}

const char *raw_header(const char *response, const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    const char *end = strstr(response, "\r\n\r\n");
    for (const char *line = strstr(response, "\r\n"); line != NULL && line < end;
         line = strstr(line + 2, "\r\n")) {
        const char *h = line + 2;
        if (strncasecmp(h, name, n) == 0 && h[n] == ':') {
            h += n + 1;
            while (*h == ' ')
                h++;
            size_t k = (size_t)(strstr(h, "\r\n") - h);
            if (k >= cap) k = cap - 1;
            memcpy(out, h, k);
            out[k] = '\0';
            return out;
        }
    }
    return NULL;
}
