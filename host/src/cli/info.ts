// qiot-command: 70 info — show a board’s firmware and protocol versions, capacities and active module
// `qiot info --port P`: the board's versions, capacities and active module.
import type { Command } from 'commander';
import { DeviceClient } from '../device/client.ts';
import { addPortOptions, boardPortOptions, portOf, type PortOptionValues } from './port-options.ts';
import { boardStateName, BootEvent, NO_SLOT, resetCauseName } from '../protocol/constants.ts';
import type { StatusMessage } from '../protocol/payloads.generated.ts';
import type { DeviceInfo } from '../protocol/info.ts';

interface InfoOptions extends PortOptionValues {
  json?: boolean;
}

export function register(program: Command): void {
  addPortOptions(program.command('info'))
    .description('show a board’s firmware and protocol versions, capacities and active module')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExit codes: 0 ok, 2 bad usage or no port given or found, 3 board unreachable or protocol mismatch.')
    .action(async (opts: InfoOptions) => {
      const port = portOf(opts);
      const client = await DeviceClient.open(port, boardPortOptions(opts));
      try {
        const status = await client.status();
        process.stdout.write(opts.json ? `${JSON.stringify(infoJson(client.info, status, port))}\n` : infoText(client.info, status, port));
      } finally {
        await client.close();
      }
    });
}

export function infoJson(info: DeviceInfo, status: StatusMessage, port: string) {
  const hasModule = info.activeSlot !== NO_SLOT;
  return {
    port,
    board: info.boardName,
    firmware_version: info.firmwareVersion,
    protocol_version: info.protocolVersion,
    abi_version: info.abiVersion,
    max_payload: info.maxPayload,
    ring_capacity: info.ringCapacity,
    slot_size: info.slotSize,
    page_size: info.pageSize,
    max_qubits: info.maxQubits,
    active_slot: hasModule ? info.activeSlot : null,
    module_size: hasModule ? info.moduleSize : null,
    module_sha256: hasModule ? Buffer.from(info.moduleSha256).toString('hex') : null,
    security: securityJson(info),
    boot: bootJson(info),
    state: boardStateName(status.state),
    next_tseq: status.nextTseq,
  };
}

function securityJson(info: DeviceInfo) {
  const sec = info.security;
  if (!sec) return { provisioned: false, module_signed: false };
  return {
    provisioned: sec.provisioned,
    module_signed: sec.moduleVerified,
    module_version: sec.moduleVersion,
    module_counter: sec.moduleCounter,
    rollback_floor: sec.floor,
  };
}

function bootJson(info: DeviceInfo) {
  const boot = info.boot;
  if (!boot) return null;
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  return {
    pending: boot.pending,
    trial_steps_left: boot.trialStepsLeft,
    reverted: boot.event === BootEvent.REVERTED ? resetCauseName(boot.eventCause) : null,
    rolled_back: boot.event === BootEvent.ROLLED_BACK,
    reset_cause: resetCauseName(boot.resetCause),
    previous_module: boot.previous ? { size: boot.previous.size, sha256: hex(boot.previous.sha256) } : null,
  };
}

/** The trial-boot state in words (docs/reliability.md "Trial boot"). */
export function bootText(info: DeviceInfo): string {
  const boot = info.boot;
  if (!boot) return 'no trial boot (firmware predates it)';
  const parts = [`last start: ${resetCauseName(boot.resetCause)}`];
  if (boot.pending) {
    parts.push(`active module on trial: a reset reverts it unless confirmed (qiot confirm) or trained ${boot.trialStepsLeft} more steps`);
  }
  if (boot.event === BootEvent.REVERTED) {
    parts.push(`reverted to this module: the module after it was still on trial at a reset (${resetCauseName(boot.eventCause)})`);
  }
  if (boot.event === BootEvent.ROLLED_BACK) parts.push('rolled back to this module on request');
  parts.push(boot.previous ? `previous module ${boot.previous.size} B (qiot rollback returns to it)` : 'no previous module');
  return parts.join('; ');
}

function securityText(info: DeviceInfo): string {
  const sec = info.security;
  if (!sec?.provisioned) return 'open (not provisioned): accepts unsigned modules and unauthenticated requests';
  const module = sec.moduleVerified
    ? `active module signed (version ${sec.moduleVersion}, counter ${sec.moduleCounter})`
    : 'active module unsigned (committed before provisioning)';
  return `provisioned: signed modules (counter ≥ ${sec.floor}) and authenticated control only; ${module}`;
}

function infoText(info: DeviceInfo, status: StatusMessage, port: string): string {
  const j = infoJson(info, status, port);
  const rows: [string, string][] = [
    ['port', port],
    ['board', `${j.board} (firmware ${j.firmware_version})`],
    ['protocol', `version ${j.protocol_version}, max payload ${j.max_payload} B, telemetry ring ${j.ring_capacity}`],
    ['module ABI', `version ${j.abi_version}`],
    ['slots', `2 × ${j.slot_size} B; wasm page ${j.page_size} B`],
    [
      'active module',
      j.active_slot === null
        ? 'none (flash one: qiot flash build/qiot.wasm --port ' + port + ')'
        : `slot ${j.active_slot}, ${j.module_size} B, sha256 ${j.module_sha256}`,
    ],
    ['max qubits', j.max_qubits === 0 ? '— (no module loaded)' : String(j.max_qubits)],
    ['security', securityText(info)],
    ['boot', bootText(info)],
    ['state', j.state],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
}
