/* The posix emulated board: internals shared by its files. */
#ifndef QIOT_POSIX_BOARD_H
#define QIOT_POSIX_BOARD_H

#include <stdbool.h>
#include <stdint.h>

/* Maps the slots and commit records from state_path (created if missing), or
 * anonymous memory when state_path is NULL. Returns false with errno set. */
bool posix_storage_open(const char *state_path);
void posix_storage_close(void);

/* Serial link on a new pseudo-terminal (its slave path in *pty_path) or on
 * stdin/stdout. Returns false with errno set. */
bool posix_serial_open_pty(const char **pty_path);
void posix_serial_use_stdio(void);
/* Makes board_serial_read report the link as gone (signal-safe). */
void posix_serial_request_exit(void);

/* Runs the board in a child process that is restarted after a watchdog
 * reset or a crash (supervisor.c). Returns 0 in the child; the parent never
 * returns (it exits with the child's status), or -1 when fork fails. */
int posix_supervise(void);
/* The watchdog's bound for sliced calls, instead of QIOT_WATCHDOG_MS: it
 * counts CPU time, which load does not stretch, so the core's margin for a
 * loaded machine is not needed; 1 s of CPU is still hundreds of times one
 * slice call, and a looping module is reset within seconds even on the
 * shared test machine. --watchdog-ms overrides it. */
#define POSIX_WATCHDOG_DEFAULT_MS 1000u
void posix_watchdog_set_ms(uint32_t ms);

#endif
