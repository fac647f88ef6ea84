// What each role may do from the pages, mirroring the server's access policy (Auth/AccessPolicy.cs).
// The pages only hide what a role cannot do; the server still refuses it (403).
import { ApiError, get } from './api.js';

const taskActions = {
  Start: ['instrument', 'admin'],
  Abort: ['technician', 'admin'],
  Replan: ['technician', 'admin'],
};

/** The caller's key: { name, role }, or { role: null } without a valid key. */
export async function whoAmI() {
  try {
    return await get('/auth/me');
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return { name: null, role: null };
    throw error;
  }
}

/** May this role take the task action (Start, Abort, Replan)? */
export function mayTask(role, action) {
  return (taskActions[action] ?? []).includes(role);
}
