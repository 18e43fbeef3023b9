// Every board the host knows, in one list: `qiot emulate`, the HIL suite, the bench and
// the CLI iterate it instead of naming boards. Adding a board is one file beside this
// one (its launcher and definition, board.ts) and one entry here.
import type { BoardDefinition } from './board.ts';
import { posixBoard } from './posix.ts';
import { rv32Board } from './rv32.ts';
import { serialBoard } from './serial.ts';

export const BOARDS: readonly BoardDefinition[] = [posixBoard, rv32Board, serialBoard];

/** The boards the host can start itself. */
export const emulatedBoards = (): BoardDefinition[] => BOARDS.filter((board) => board.launch !== undefined);

export function boardNamed(name: string): BoardDefinition | undefined {
  return BOARDS.find((board) => board.name === name);
}

/** The board whose firmware reports `infoName` in INFO (e.g. a gateway's rv32-qemu-virt is rv32). */
export function boardReporting(infoName: string): BoardDefinition | undefined {
  return BOARDS.find((board) => board.reportsAs === infoName);
}
