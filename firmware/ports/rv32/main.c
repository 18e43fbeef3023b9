/* Entry of the rv32 board firmware: machine set-up, then the core's loop. */
#include "core.h"
#include "system.h"

int main(void) {
  rv32_system_init();
  return qiot_main();
}
