/* The posix board's serial link: a pseudo-terminal master (or stdin/stdout),
 * plus time, reset and idle. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "posix_board.h"

/* How long a write may wait for a reader before the bytes are dropped, as a
 * UART with nobody listening would lose them. After one such stall, writes
 * that cannot proceed at once are dropped without waiting until a write gets
 * through again, so training keeps its pace while no host reads. */
#define WRITE_STALL_MS 200
static bool link_stalled;

static int in_fd = -1, out_fd = -1;
/* Our own slave fd keeps the PTY alive while no host has it open, so a host
 * can close and reopen it (no hangup, no EIO on the master). */
static int keep_slave_fd = -1;
static volatile sig_atomic_t exit_requested;

void posix_serial_request_exit(void) { exit_requested = 1; }

bool posix_serial_open_pty(const char **pty_path) {
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0) return false;
    if (grantpt(master) != 0 || unlockpt(master) != 0) goto fail;
    const char *path = ptsname(master);
    if (!path) goto fail;
    keep_slave_fd = open(path, O_RDWR | O_NOCTTY);
    if (keep_slave_fd < 0) goto fail;
    struct termios tio;
    if (tcgetattr(keep_slave_fd, &tio) != 0) goto fail;
    cfmakeraw(&tio);
    if (tcsetattr(keep_slave_fd, TCSANOW, &tio) != 0) goto fail;
    if (tcgetattr(master, &tio) == 0) {
        cfmakeraw(&tio);
        tcsetattr(master, TCSANOW, &tio);
    }
    fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
    in_fd = out_fd = master;
    *pty_path = path;
    return true;
fail : {
    int saved = errno;
    if (keep_slave_fd >= 0) close(keep_slave_fd);
    keep_slave_fd = -1;
    close(master);
    errno = saved;
    return false;
}
}

void posix_serial_use_stdio(void) {
    in_fd = STDIN_FILENO;
    out_fd = STDOUT_FILENO;
}

static void sleep_ms(uint32_t ms) {
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int board_serial_read(uint8_t *buf, size_t cap, uint32_t timeout_ms) {
    if (exit_requested) return -1;
    struct pollfd p = {.fd = in_fd, .events = POLLIN};
    int ready = poll(&p, 1, (int)timeout_ms);
    if (exit_requested) return -1;
    if (ready <= 0) return 0;
    ssize_t n = read(in_fd, buf, cap);
    if (n > 0) return (int)n;
    if (n == 0) return in_fd == STDIN_FILENO ? -1 : 0; /* EOF ends a --stdio board */
    if (errno == EAGAIN || errno == EINTR) return 0;
    if (errno == EIO) {
        /* PTY hangup while a host reopens it: wait, the link comes back. */
        sleep_ms(timeout_ms ? timeout_ms : 1);
        return 0;
    }
    return -1;
}

void board_serial_write(const uint8_t *buf, size_t len) {
    uint32_t stalled_ms = 0;
    while (len > 0 && !exit_requested) {
        ssize_t n = write(out_fd, buf, len);
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
            stalled_ms = 0;
            link_stalled = false;
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR && errno != EIO) return;
        if (link_stalled) return;
        if (stalled_ms >= WRITE_STALL_MS) {
            link_stalled = true;
            return;
        }
        struct pollfd p = {.fd = out_fd, .events = POLLOUT};
        poll(&p, 1, 10);
        stalled_ms += 10;
    }
}

uint64_t board_time_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* The core tears down and boots again in-process: the PTY (and its path)
 * stays, as a real board's USB-serial port would. */
void board_reset(void) {} /* board_reset_cause (supervisor.c) then says RESET_CAUSE_REQUEST */

void board_idle(void) {}

const char *board_name(void) { return "posix"; }
