export default async function globalTeardown(): Promise<void> {
  await globalThis.__FLEETPLANE_TEST_SERVER__?.stop();
}
