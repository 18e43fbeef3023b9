// vitest globalSetup: before any test, a HELLO probe of the target reads its versions and
// capacities (INFO). Test files read them with inject('probe') to adapt or skip; the line
// printed here heads the test output.
import type { TestProject } from 'vitest/node';
import type { DeviceInfo } from '../host/src/protocol/info.ts';
import { HilBoard } from './board.ts';
import { TARGET } from './target.ts';

/** The target's versions and capacities: INFO without the module fields, which change as tests flash. */
export type ProbeInfo = Omit<DeviceInfo, 'maxQubits' | 'activeSlot' | 'moduleSize' | 'moduleSha256'>;

declare module 'vitest' {
  export interface ProvidedContext {
    probe: ProbeInfo;
  }
}

export default async function probeTarget(project: TestProject): Promise<void> {
  const board = await HilBoard.start();
  try {
    const { maxQubits, activeSlot, moduleSize, moduleSha256, ...probe } = board.client.info;
    console.log(
      `HIL target ${TARGET.name} on ${board.port} (timeouts ×${TARGET.timeScale}): board '${probe.boardName}' firmware ${probe.firmwareVersion}, ` +
        `protocol ${probe.protocolVersion}, ABI ${probe.abiVersion}, max payload ${probe.maxPayload} B, ring ${probe.ringCapacity} records, ` +
        `slot ${probe.slotSize} B, wasm page ${probe.pageSize} B`,
    );
    project.provide('probe', probe);
  } finally {
    await board.close();
  }
}
