/* The posix emulated board: internals shared by its files. */
#ifndef QIOT_POSIX_BOARD_H
#define QIOT_POSIX_BOARD_H

#include <stdbool.h>

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

#endif
