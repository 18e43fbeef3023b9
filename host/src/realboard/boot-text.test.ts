import { describe, expect, it } from 'vitest';
import { BootTextLog, describeBootText, diagnoseBootText } from './boot-text.ts';

const ascii = (s: string) => new TextEncoder().encode(s);

// An ESP32-C3 powering up, as its ROM prints it (ESP-IDF docs, "Application Startup Flow").
const C3_BOOT = [
  'ESP-ROM:esp32c3-api1-20210207',
  'Build:Feb  7 2021',
  'rst:0x1 (POWERON),boot:0xc (SPI_FAST_FLASH_BOOT)',
  'SPIWP:0xee',
  'mode:DIO, clock div:1',
  'load:0x3fcd5820,len:0x1714',
  'entry 0x403cc710',
].join('\r\n');

describe('BootTextLog', () => {
  it('keeps the boot banner line by line, whatever the chunking', () => {
    const bytes = ascii(C3_BOOT + '\r\n');
    const whole = new BootTextLog();
    whole.push(bytes);
    const byteWise = new BootTextLog();
    for (const b of bytes) byteWise.push(Uint8Array.of(b));
    expect(whole.text().split('\n')).toEqual(C3_BOOT.split('\r\n'));
    expect(byteWise.text()).toBe(whole.text());
  });

  it('drops binary noise and short printable fragments (ROM text at the wrong baud rate)', () => {
    const log = new BootTextLog();
    log.push(Uint8Array.of(0xff, 0x80, 0x41, 0x00, 0x9c, 0x42, 0x43, 0x00, 0xe0));
    log.push(ascii('entry 0x403cc710'));
    log.push(Uint8Array.of(0x00, 0x02, 0x01, 0x01));
    expect(log.text()).toBe('entry 0x403cc710');
  });

  it('keeps only the most recent text when a board prints a lot', () => {
    const log = new BootTextLog(64);
    for (let i = 0; i < 100; i++) log.push(ascii(`line number ${i}\n`));
    expect(log.text().length).toBeLessThanOrEqual(64);
    expect(log.text().endsWith('line number 99')).toBe(true);
    expect(log.tail(2)).toBe('line number 98 | line number 99');
  });
});

describe('diagnoseBootText', () => {
  it('recognises a chip held in download mode', () => {
    const text = 'ESP-ROM:esp32c3-api1-20210207\nrst:0x1 (POWERON),boot:0x3 (DOWNLOAD(USB/UART0/1))\nwaiting for download';
    expect(diagnoseBootText(text)).toMatch(/download mode.*BOOT/);
  });

  it('recognises empty flash on the ESP32 and the ESP32-C3', () => {
    expect(diagnoseBootText('invalid header: 0xffffffff\ninvalid header: 0xffffffff')).toMatch(/flash-firmware/);
    expect(diagnoseBootText("Invalid image block, can't boot.")).toMatch(/flash-firmware/);
  });

  it('explains the firmware line for a task it could not create, as the firmware frames it (0x00, CR LF, text, CR LF, 0x00)', () => {
    const log = new BootTextLog();
    log.push(ascii(C3_BOOT));
    log.push(
      Uint8Array.of(
        0,
        13,
        10,
        ...ascii(
          "qiot: cannot start: no memory for the qiot task's stack of 16384 bytes (lower CONFIG_QIOT_TASK_STACK_BYTES in menuconfig)\r\n",
        ),
        0,
      ),
    );
    expect(log.tail(1)).toMatch(/^qiot: cannot start: no memory for the qiot task's stack of 16384 bytes/);
    expect(diagnoseBootText(log.text())).toMatch(/lower CONFIG_QIOT_TASK_STACK_BYTES/);
  });

  it('has nothing to add to a normal boot banner', () => {
    expect(diagnoseBootText(C3_BOOT)).toBeNull();
  });

  it('quotes the last lines and the hint in one sentence', () => {
    const log = new BootTextLog();
    log.push(ascii('rst:0x1 (POWERON),boot:0x3 (DOWNLOAD(USB/UART0/1))\r\nwaiting for download\r\n'));
    expect(describeBootText(log)).toBe(
      'the board printed "rst:0x1 (POWERON),boot:0x3 (DOWNLOAD(USB/UART0/1)) | waiting for download"; ' +
        'the chip is in ROM download mode (GPIO0/BOOT was low at reset): release the BOOT button and reset the board, or connect without --no-reset',
    );
    expect(describeBootText(new BootTextLog())).toBe('the board sent nothing readable');
  });
});
