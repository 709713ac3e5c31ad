#ifndef IMGREC_CMICROHTTPD_SHIM_H
#define IMGREC_CMICROHTTPD_SHIM_H
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

/// Starts a daemon with its own polling threads. MHD_start_daemon is variadic, which Swift cannot call,
/// so every option the server uses is a typed parameter here.
///
/// `host` must be a numeric IPv4 or IPv6 address (NULL binds every IPv4 address); returns NULL when the
/// address does not parse or the daemon cannot start. `threads` above 1 asks for a pool of polling threads.
static inline struct MHD_Daemon *imgrec_mhd_start(unsigned int flags, uint16_t port, const char *host,
                                                  unsigned int threads, unsigned int timeoutSeconds,
                                                  MHD_AccessHandlerCallback handler, void *handlerContext,
                                                  MHD_RequestCompletedCallback completed,
                                                  void *completedContext) {
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
    const struct sockaddr *address = NULL;
    memset(&v4, 0, sizeof v4);
    memset(&v6, 0, sizeof v6);
    if (host != NULL) {
        if (inet_pton(AF_INET, host, &v4.sin_addr) == 1) {
            v4.sin_family = AF_INET;
            v4.sin_port = htons(port);
            address = (const struct sockaddr *)&v4;
        } else if (inet_pton(AF_INET6, host, &v6.sin6_addr) == 1) {
            v6.sin6_family = AF_INET6;
            v6.sin6_port = htons(port);
            address = (const struct sockaddr *)&v6;
            flags |= MHD_USE_IPv6;
        } else {
            return NULL;
        }
    }
    unsigned int pool = threads > 1 ? threads : 0;
    // Each connection's memory pool holds the request line and headers; 128 KiB lets URLs of about 100 KB
    // reach the handlers (which answer over-long queries with a JSON error) before MHD refuses with 414.
    size_t connectionMemory = 128 * 1024;
    if (address != NULL) {
        return MHD_start_daemon(flags, port, NULL, NULL, handler, handlerContext,
                                MHD_OPTION_SOCK_ADDR, address,
                                MHD_OPTION_THREAD_POOL_SIZE, pool,
                                MHD_OPTION_CONNECTION_TIMEOUT, timeoutSeconds,
                                MHD_OPTION_CONNECTION_MEMORY_LIMIT, connectionMemory,
                                MHD_OPTION_NOTIFY_COMPLETED, completed, completedContext,
                                MHD_OPTION_END);
    }
    return MHD_start_daemon(flags, port, NULL, NULL, handler, handlerContext,
                            MHD_OPTION_THREAD_POOL_SIZE, pool,
                            MHD_OPTION_CONNECTION_TIMEOUT, timeoutSeconds,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, connectionMemory,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, completedContext,
                            MHD_OPTION_END);
}

/// The port the daemon is bound to (the real one when it was started on port 0); 0 when unknown.
static inline uint16_t imgrec_mhd_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info != NULL ? info->port : 0;
}

/// The number of open client connections, idle keep-alive ones included.
static inline unsigned int imgrec_mhd_connection_count(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info != NULL ? info->num_connections : 0;
}
#endif
