// Said by the workbench after it changed breaks (an assignment, a disposition, an
// undo), for whatever else shows them: the shell's count of one's own queue.
export const BREAKS_CHANGED = 'gongji:breaks-changed';
export const announceBreaksChanged = (): void => void window.dispatchEvent(new Event(BREAKS_CHANGED));
