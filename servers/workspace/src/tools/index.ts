/** Every workspace tool, in the order `tools/list` shows them. */
import { workspaceCreate } from './workspace-create.js';
import { workspaceDeleteFile } from './workspace-delete-file.js';
import { workspaceDestroy } from './workspace-destroy.js';
import { workspaceDiff } from './workspace-diff.js';
import { workspaceEditFile } from './workspace-edit-file.js';
import { workspaceFork } from './workspace-fork.js';
import { workspaceList } from './workspace-list.js';
import { workspaceListFiles } from './workspace-list-files.js';
import { workspaceMerge } from './workspace-merge.js';
import { workspaceReadFile } from './workspace-read-file.js';
import { workspaceWriteFile } from './workspace-write-file.js';

export const workspaceTools = [
  workspaceCreate,
  workspaceFork,
  workspaceWriteFile,
  workspaceReadFile,
  workspaceEditFile,
  workspaceListFiles,
  workspaceDeleteFile,
  workspaceDiff,
  workspaceMerge,
  workspaceDestroy,
  workspaceList,
];
