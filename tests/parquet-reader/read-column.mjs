// Reads a Parquet file with hyparquet (a reader Lims does not use itself) and prints
// {"rows": <row count from the footer>, "values": [<every value of one column>]} as JSON.
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet'

const [file, column] = process.argv.slice(2)
const buffer = await asyncBufferFromFile(file)
const metadata = await parquetMetadataAsync(buffer)
const rows = await parquetReadObjects({ file: buffer, columns: [column] })
const values = rows.map(row => typeof row[column] === 'bigint' ? Number(row[column]) : row[column])
process.stdout.write(JSON.stringify({ rows: Number(metadata.num_rows), values }))
