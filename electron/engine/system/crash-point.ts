// Named points where a test may kill the process (GONGJI_CRASH_AT=name): the
// crash tests stop a real process at each step of a multi-step write and check
// what a restart finds. Outside tests the variable is unset and this does nothing.
export function crashPoint(name: string): void {
  if (process.env.GONGJI_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
