// vitest globalSetup: before any test, a HELLO probe of the target reads its versions and
// capacities (INFO). Test files read them with inject('probe') to adapt or skip; the line
// printed here heads the test output.
import type { TestProject } from 'vitest/node';
import { HilBoard } from './board.ts';
import { TARGET } from './target.ts';

export interface ProbeInfo {
  boardName: string;
  firmwareVersion: string;
  protocolVersion: number;
  abiVersion: number;
  maxPayload: number;
  ringCapacity: number;
  slotSize: number;
  pageSize: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    probe: ProbeInfo;
  }
}

export default async function probeTarget(project: TestProject): Promise<void> {
  const board = await HilBoard.start();
  try {
    const i = board.client.info;
    const probe: ProbeInfo = {
      boardName: i.boardName,
      firmwareVersion: i.firmwareVersion,
      protocolVersion: i.protocolVersion,
      abiVersion: i.abiVersion,
      maxPayload: i.maxPayload,
      ringCapacity: i.ringCapacity,
      slotSize: i.slotSize,
      pageSize: i.pageSize,
    };
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
