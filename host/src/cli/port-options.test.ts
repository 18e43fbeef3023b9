import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addPortOptions, boardPortOptions } from './port-options.ts';

function parse(args: string[]) {
  const cmd = addPortOptions(new Command('x').exitOverride().configureOutput({ writeErr: () => {} }));
  cmd.parse(args, { from: 'user' });
  return cmd.opts();
}

describe('port options', () => {
  it('defaults to the firmware baud rate and automatic reset', () => {
    expect(boardPortOptions(parse([]))).toMatchObject({ baudRate: undefined, reset: undefined });
  });

  it('--no-reset and --baud reach the board port', () => {
    expect(boardPortOptions(parse(['--no-reset', '--baud', '115200']))).toMatchObject({ baudRate: 115_200, reset: 'none' });
  });

  it('refuses a baud rate that is not a plain integer in range', () => {
    for (const bad of ['fast', '9600.5', '300', '4000000']) {
      expect(() => parse(['--baud', bad])).toThrow(/expected an integer from 9600 to 3000000/);
    }
  });
});
