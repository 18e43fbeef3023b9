// Compile-time build choices of the one runtime source, set by runtime/runtime.mk with
// `asc --use` (docs/abi.md "Builds"); every build passes both.
//   QIOT_FIXED=1  Q1.30 fixed-point amplitudes (i32, products in i64): the device build.
//   QIOT_FIXED=0  f32 amplitudes.
//   QIOT_HOST=1   the host build: 20 qubits, 4 096 parameters, as many pages as that
//                 needs, f32x4 SIMD rotation kernels (requires QIOT_FIXED=0).
// @ts-ignore: defined on the asc command line
export const FIXED_POINT: bool = QIOT_FIXED != 0;
// @ts-ignore: defined on the asc command line
export const HOST_BUILD: bool = QIOT_HOST != 0;
