// The lab's hierarchy as data: one entry per level says where its documents live, how a row reads,
// which navigations lead to its children, how to find it by id or barcode and who its parent is.
// The tree, the search and the lineage all read this table.
import { odataString } from './api.js';
import { shortTime } from './dom.js';

/**
 * How a search term matches a text field. `eq` works on every Lims version; when the server supports
 * string functions this becomes: (field, q) => `startswith(${field},${odataString(q)})`.
 */
export const matchText = (field, q) => `${field} eq ${odataString(q)}`;

const isInteger = (q) => /^\d{1,15}$/.test(q);

export const levels = {
  specimen: {
    label: 'Specimen', set: 'Specimens', key: 'specimen_id',
    select: ['specimen_id', 'description'],
    title: (d) => d.specimen_id,
    summary: (d) => d.description ?? '',
    children: [{ level: 'block', nav: 'blocks', one: 'block', orderby: 'block_id' }],
    parent: null,
    search: (q) => matchText('specimen_id', q),
  },
  block: {
    label: 'Block', set: 'Blocks', key: 'block_id',
    select: ['block_id', 'specimen_id'],
    title: (d) => d.block_id,
    summary: () => '',
    children: [{ level: 'session', nav: 'cutting_sessions', one: 'cutting session', orderby: 'start_time' }],
    parent: (d) => ['specimen', d.specimen_id],
    search: (q) => matchText('block_id', q),
  },
  session: {
    label: 'Cutting session', set: 'CuttingSessions', key: 'cutting_session_id',
    select: ['cutting_session_id', 'block_id', 'operator', 'start_time', 'media_type', 'sectioning_device'],
    title: (d) => d.cutting_session_id,
    summary: (d) => [shortTime(d.start_time), d.operator, d.media_type].filter(Boolean).join(' · '),
    children: [{ level: 'section', nav: 'sections', one: 'section', orderby: 'section_number' }],
    parent: (d) => ['block', d.block_id],
    search: (q) => matchText('cutting_session_id', q),
  },
  section: {
    label: 'Section', set: 'Sections', key: 'section_id',
    select: ['section_id', 'section_number', 'cutting_session_id', 'media_id', 'aperture_index', 'barcode', 'section_metrics'],
    title: (d) => d.section_id,
    summary: (d) => [
      `#${d.section_number}`,
      d.section_metrics?.quality,
      d.section_metrics?.thickness_um != null ? `${d.section_metrics.thickness_um} µm` : null,
      d.media_id ? `${d.media_id}${d.aperture_index != null ? ` / ${d.aperture_index}` : ''}` : null,
      d.barcode ? `barcode ${d.barcode}` : null,
    ].filter(Boolean).join(' · '),
    // ROIs of a section are the top-level ones; child ROIs hang under their parent ROI.
    children: [{ level: 'roi', nav: 'rois', one: 'ROI', many: 'ROIs', orderby: 'roi_id', filter: 'parent_roi_id eq null' }],
    parent: (d) => ['session', d.cutting_session_id],
    search: (q) => `${matchText('section_id', q)} or ${matchText('barcode', q)}`,
  },
  roi: {
    label: 'ROI', set: 'ROIs', key: 'roi_id', numericKey: true,
    select: ['roi_id', 'section_id', 'parent_roi_id', 'barcode', 'optical_pixel_size'],
    title: (d) => `ROI ${d.roi_id}`,
    summary: (d) => [d.barcode != null ? `barcode ${d.barcode}` : null, d.parent_roi_id ? `inside ROI ${d.parent_roi_id}` : null].filter(Boolean).join(' · '),
    children: [
      { level: 'acquisition', nav: 'acquisitions', one: 'acquisition', orderby: 'start_time' },
      { level: 'roi', nav: 'children', one: 'child ROI', many: 'child ROIs', orderby: 'roi_id', hideWhenEmpty: true },
    ],
    parent: (d) => (d.parent_roi_id ? ['roi', d.parent_roi_id] : ['section', d.section_id]),
    search: (q) => (isInteger(q) ? `roi_id eq ${q} or barcode eq ${q}` : null),
  },
  acquisition: {
    label: 'Acquisition', set: 'Acquisitions', key: 'acquisition_id',
    select: ['acquisition_id', 'roi_id', 'status', 'start_time', 'acquisition_task_id'],
    title: (d) => d.acquisition_id,
    summary: (d) => [shortTime(d.start_time), d.acquisition_task_id].filter(Boolean).join(' · '),
    status: (d) => d.status,
    children: [{ level: 'tile', nav: 'tiles', one: 'tile', orderby: 'raster_index', pageSize: 100 }],
    parent: (d) => ['roi', d.roi_id],
    search: (q) => matchText('acquisition_id', q),
  },
  tile: {
    label: 'Tile', set: 'Tiles', key: 'tile_id',
    select: ['tile_id', 'acquisition_id', 'raster_index', 'raster_position', 'focus_score', 'mean_value'],
    title: (d) => d.tile_id,
    summary: (d) => [
      d.raster_position ? `row ${d.raster_position.row}, col ${d.raster_position.col}` : null,
      d.focus_score != null ? `focus ${Number(d.focus_score).toFixed(3)}` : null,
    ].filter(Boolean).join(' · '),
    children: [],
    parent: (d) => ['acquisition', d.acquisition_id],
    search: (q) => matchText('tile_id', q),
  },
};

/** The address of one document: /odata/Sections('CS1-S0001'), /odata/ROIs(5). */
export function entityPath(level, key) {
  const def = levels[level];
  const segment = def.numericKey ? `(${Number(key)})` : `(${encodeURIComponent(odataString(key))})`;
  return `/odata/${def.set}${segment}`;
}

/** A stable identity for a node: "section:CS1-S0001". */
export const nodeId = (level, key) => `${level}:${key}`;

/** The link that selects an item on the lab tree page. */
export const itemHref = (level, key) => `/#/${level}/${encodeURIComponent(String(key))}`;
