// The pages of the navigation bar, in order. A new page is one entry here plus its
// /app/<id>.html (which calls mountLayout('<id>')) and its module.
export const pages = [
  { id: 'tree', href: '/', title: 'Lab tree' },
  { id: 'cutting', href: '/app/cutting', title: 'Log cutting session' },
  { id: 'tasks', href: '/app/tasks', title: 'Tasks' },
  { id: 'quality', href: '/app/quality', title: 'Quality' },
  { id: 'jobs', href: '/app/jobs', title: 'Jobs' },
];
