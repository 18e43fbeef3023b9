/* ESP-IDF entry: runs the qiot core in its own task, sized and pinned by
 * Kconfig (main/Kconfig.projbuild). */
#include "board_esp32.h"
#include "core.h"
#include "esp_system.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "sdkconfig.h"

/* Above the idle task, below the system tasks (esp_timer, IPC) that the UART
 * and flash drivers rely on. */
#define QIOT_TASK_PRIORITY 5
/* On dual-core chips the qiot task gets the APP CPU to itself; core 0 keeps
 * the system tasks and its idle task responsive. */
#if CONFIG_FREERTOS_UNICORE
#define QIOT_TASK_CORE 0
#else
#define QIOT_TASK_CORE 1
#endif
/* Pause before restarting after a failed start so a restart loop stays slow
 * enough to see and interrupt. */
#define QIOT_INIT_RETRY_MS 1000
#define QIOT_STR_(x) #x
#define QIOT_STR(x) QIOT_STR_(x)

static void qiot_task(void *unused) {
    (void)unused;
    if (board_esp32_init() != ESP_OK) {
        vTaskDelay(pdMS_TO_TICKS(QIOT_INIT_RETRY_MS));
        esp_restart();
    }
    /* qiot_main returns only if the UART driver fails; start over. */
    qiot_main();
    esp_restart();
}

void app_main(void) {
    if (xTaskCreatePinnedToCore(qiot_task, "qiot", CONFIG_QIOT_TASK_STACK_BYTES, NULL, QIOT_TASK_PRIORITY, NULL,
                                QIOT_TASK_CORE) != pdPASS) {
        /* Only failure: no heap for the task's stack. Say so where the host
         * looks, then restart slowly (a silent board is the worst outcome). */
        board_esp32_report("qiot: cannot start: no memory for the qiot task's stack of " QIOT_STR(
            CONFIG_QIOT_TASK_STACK_BYTES) " bytes (lower CONFIG_QIOT_TASK_STACK_BYTES in menuconfig)");
        vTaskDelay(pdMS_TO_TICKS(QIOT_INIT_RETRY_MS));
        esp_restart();
    }
}
