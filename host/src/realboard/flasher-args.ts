// What `idf.py build` leaves for flashing: build/flasher_args.json names every image
// (bootloader, partition table, app) with its flash offset and the flash settings.
// Reading it keeps qiot's flashing identical to `idf.py flash` without ESP-IDF installed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { QiotError } from '../errors.ts';

export class FlashFirmwareError extends QiotError {
  constructor(message: string) {
    super(message, 'invalid');
    this.name = 'FlashFirmwareError';
  }
}

// Shape written by ESP-IDF v5 (components/esptool_py/flasher_args.json.in); unknown
// keys (per-image entries such as "app", "bootloader") are allowed and ignored.
const FlasherArgsSchema = z.object({
  write_flash_args: z.array(z.string()),
  flash_files: z
    .record(z.string(), z.string().min(1))
    .refine((files) => Object.keys(files).length > 0, 'lists no image')
    .superRefine((files, ctx) => {
      for (const offset of Object.keys(files)) {
        if (!/^0x[0-9a-fA-F]+$/.test(offset))
          ctx.addIssue({ code: 'custom', message: `offset "${offset}" is not a hex number like 0x10000` });
      }
    }),
  extra_esptool_args: z
    .object({
      chip: z.string().optional(),
      before: z.string().optional(),
      after: z.string().optional(),
      stub: z.boolean().optional(),
    })
    .optional(),
});

export interface FlashImage {
  offset: number;
  file: string; // absolute path
}

export interface FlashPlan {
  buildDir: string;
  chip?: string;
  before: string;
  after: string;
  stub: boolean;
  /** Flash mode/size/frequency options for write-flash, in esptool v5 spelling. */
  writeFlashArgs: string[];
  images: FlashImage[]; // by increasing offset
}

const BUILD_HINT = 'build the firmware first: cd firmware/ports/esp32 && idf.py set-target <chip> && idf.py build (docs/boards.md)';

/** esptool v5 spells options and choices with hyphens; ESP-IDF still writes underscores
 *  (accepted with a deprecation warning). */
const hyphenate = (word: string) => word.replace(/_/g, '-');
const hyphenateOption = (arg: string) => (arg.startsWith('--') ? hyphenate(arg) : arg);

export function readFlashPlan(buildDirArg: string): FlashPlan {
  const buildDir = resolve(buildDirArg);
  if (!existsSync(buildDir) || !statSync(buildDir).isDirectory()) {
    throw new FlashFirmwareError(`build directory ${buildDir} does not exist: ${BUILD_HINT}`);
  }
  const argsPath = join(buildDir, 'flasher_args.json');
  if (!existsSync(argsPath)) {
    throw new FlashFirmwareError(`${argsPath} is missing (not an ESP-IDF build directory, or the build did not finish): ${BUILD_HINT}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(argsPath, 'utf8'));
  } catch (err) {
    throw new FlashFirmwareError(`${argsPath} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = FlasherArgsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FlashFirmwareError(`${argsPath}: ${issue.path.join('.') || '(top level)'} ${issue.message}`);
  }
  const args = parsed.data;
  const images = Object.entries(args.flash_files)
    .map(([offset, file]) => ({ offset: Number.parseInt(offset, 16), file: resolve(buildDir, file) }))
    .sort((a, b) => a.offset - b.offset);
  for (const image of images) {
    if (!existsSync(image.file)) {
      throw new FlashFirmwareError(`${image.file} (to be written at 0x${image.offset.toString(16)}) is missing: ${BUILD_HINT}`);
    }
  }
  const extra = args.extra_esptool_args ?? {};
  return {
    buildDir,
    chip: extra.chip,
    before: hyphenate(extra.before ?? 'default_reset'),
    after: hyphenate(extra.after ?? 'hard_reset'),
    stub: extra.stub ?? true,
    writeFlashArgs: args.write_flash_args.map(hyphenateOption),
    images,
  };
}

export interface FlashTarget {
  port: string;
  chip?: string;
  baud: number;
}

/** The esptool command line that writes the plan's images, as `idf.py flash` would. */
export function esptoolArguments(plan: FlashPlan, target: FlashTarget): string[] {
  const chip = target.chip ?? plan.chip;
  if (!chip) {
    throw new FlashFirmwareError(`${plan.buildDir}/flasher_args.json does not name the chip: pass --chip (esp32, esp32s3, esp32c3)`);
  }
  if (plan.chip && target.chip && plan.chip !== target.chip) {
    throw new FlashFirmwareError(
      `${plan.buildDir} was built for ${plan.chip}, not ${target.chip}: run idf.py set-target ${target.chip} && idf.py build, or pass --chip ${plan.chip}`,
    );
  }
  return [
    '--chip',
    chip,
    '--port',
    target.port,
    '--baud',
    String(target.baud),
    '--before',
    plan.before,
    '--after',
    plan.after,
    ...(plan.stub ? [] : ['--no-stub']),
    'write-flash',
    ...plan.writeFlashArgs,
    ...plan.images.flatMap((image) => [`0x${image.offset.toString(16)}`, image.file]),
  ];
}
