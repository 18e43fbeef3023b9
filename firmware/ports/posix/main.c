/* qiot-board: the firmware as a Linux process on a pseudo-terminal. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "posix_board.h"
#include "qiot_config.h"

static void on_signal(int sig) {
    (void)sig;
    posix_serial_request_exit();
}

static int usage(FILE *to, int code) {
    fprintf(to,
            "usage: qiot-board [--stdio] [--state FILE] [--watchdog-ms N]\n"
            "  Emulated qiot board. Prints 'PORT <pty path>' on stdout, then serves\n"
            "  the qiot protocol on that pseudo-terminal until SIGINT/SIGTERM.\n"
            "  --stdio       serve on stdin/stdout instead of a pseudo-terminal\n"
            "  --state FILE  keep module slots and commit records in FILE (created\n"
            "                if missing) so they survive restarts; default: memory\n"
            "  --watchdog-ms N  CPU time a sliced call into the module may take before\n"
            "                the watchdog resets the board (default %u); the board\n"
            "                runs in a child process that is restarted after a watchdog\n"
            "                reset or a crash, on the same pseudo-terminal and store\n",
            POSIX_WATCHDOG_DEFAULT_MS);
    return code;
}

int main(int argc, char **argv) {
    const char *state_path = NULL;
    int stdio = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--stdio") == 0) {
            stdio = 1;
        } else if (strcmp(argv[i], "--state") == 0 && i + 1 < argc) {
            state_path = argv[++i];
        } else if (strcmp(argv[i], "--watchdog-ms") == 0 && i + 1 < argc) {
            char *end = NULL;
            unsigned long ms = strtoul(argv[++i], &end, 10);
            if (!end || *end || ms == 0 || ms > 3600000ul) {
                fprintf(stderr, "qiot-board: --watchdog-ms takes 1..3600000, got '%s'\n", argv[i]);
                return usage(stderr, 2);
            }
            posix_watchdog_set_ms((uint32_t)ms);
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            return usage(stdout, 0);
        } else {
            fprintf(stderr, "qiot-board: unknown or incomplete argument '%s'\n", argv[i]);
            return usage(stderr, 2);
        }
    }

    signal(SIGPIPE, SIG_IGN);

    if (!posix_storage_open(state_path)) {
        fprintf(stderr, "qiot-board: cannot use state file '%s': %s\n", state_path ? state_path : "(memory)",
                strerror(errno));
        return 1;
    }
    if (stdio) {
        posix_serial_use_stdio();
    } else {
        const char *pty = NULL;
        if (!posix_serial_open_pty(&pty)) {
            fprintf(stderr, "qiot-board: cannot open a pseudo-terminal: %s\n", strerror(errno));
            return 1;
        }
        printf("PORT %s\n", pty);
        fflush(stdout);
    }
    if (posix_supervise() != 0) {
        fprintf(stderr, "qiot-board: cannot start the board process: %s\n", strerror(errno));
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: poll() returns at once */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    qiot_main();
    posix_storage_close();
    return 0;
}
