/* The posix board's watchdog and reset supervisor (docs/reliability.md
 * "Watchdog"). The board runs in a child process; the parent restarts it on
 * the same pseudo-terminal and store, as a chip resets, when the watchdog
 * kills it (SIGVTALRM: a call into the module used more CPU time than its
 * bound) or it crashes. The watchdog counts CPU time, not wall time, so a
 * loaded machine never trips it while a module that loops does. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "posix_board.h"
#include "protocol.h"
#include "qiot_config.h"

/* A child that does not end within this long of SIGTERM/SIGINT (stuck in a
 * module call) is killed. */
#define TERM_GRACE_MS 2000
/* Pause between restarts, so a board that crashes at every boot loops slowly. */
#define RESTART_PAUSE_MS 100

static uint8_t reset_cause = RESET_CAUSE_POWER_ON;
static uint32_t sliced_ms = POSIX_WATCHDOG_DEFAULT_MS;
static volatile sig_atomic_t child_pid, term_signal;

void posix_watchdog_set_ms(uint32_t ms) { sliced_ms = ms; }

void board_watchdog_arm(uint32_t ms) {
    if (ms == QIOT_WATCHDOG_MS) ms = sliced_ms; /* --watchdog-ms replaces the sliced bound */
    struct itimerval t;
    memset(&t, 0, sizeof t);
    t.it_value.tv_sec = ms / 1000u;
    t.it_value.tv_usec = (suseconds_t)(ms % 1000u) * 1000;
    setitimer(ITIMER_VIRTUAL, &t, NULL);
}

void board_watchdog_disarm(void) {
    struct itimerval t;
    memset(&t, 0, sizeof t);
    setitimer(ITIMER_VIRTUAL, &t, NULL);
}

uint8_t board_reset_cause(void) {
    uint8_t cause = reset_cause;
    reset_cause = RESET_CAUSE_REQUEST; /* the next boot of this process follows RESET */
    return cause;
}

static void sleep_ms(long ms) {
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void forward(int sig) {
    term_signal = sig;
    if (child_pid > 0) kill((pid_t)child_pid, sig);
}

/* Waits for the child; after a forwarded SIGTERM/SIGINT it gets a grace
 * period, then SIGKILL. */
static int wait_child(pid_t pid) {
    int status = 0;
    for (long waited = 0;;) {
        pid_t got = waitpid(pid, &status, term_signal ? WNOHANG : 0);
        if (got == pid) return status;
        if (got < 0 && errno != EINTR) return 0;
        if (term_signal) {
            if (waited >= TERM_GRACE_MS) kill(pid, SIGKILL);
            sleep_ms(10);
            waited += 10;
        }
    }
}

int posix_supervise(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    pid_t parent = getpid();
    for (;;) {
        pid_t pid = fork();
        if (pid < 0) return -1;
        if (pid == 0) {
            /* The board dies with its supervisor (kill -9 is a power cut). */
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent) _exit(1);
            sa.sa_handler = SIG_DFL;
            sigaction(SIGINT, &sa, NULL);
            sigaction(SIGTERM, &sa, NULL);
            return 0;
        }
        child_pid = pid;
        int status = wait_child(pid);
        child_pid = 0;
        if (term_signal || WIFEXITED(status)) exit(WIFEXITED(status) ? WEXITSTATUS(status) : 0);
        int sig = WTERMSIG(status);
        reset_cause = sig == SIGVTALRM ? RESET_CAUSE_WATCHDOG : RESET_CAUSE_CRASH;
        fprintf(stderr, "qiot-board: %s (signal %d); restarting the board\n",
                sig == SIGVTALRM ? "watchdog reset: a call into the module ran too long" : "board crashed", sig);
        sleep_ms(RESTART_PAUSE_MS);
    }
}
