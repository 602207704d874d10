import { tollgateProject } from '@tollgate/vitest-config/project';

export default tollgateProject('web');
