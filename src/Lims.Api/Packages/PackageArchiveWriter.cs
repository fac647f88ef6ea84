using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Lims.Packages;

/// <summary>A file of the package as the manifest lists it.</summary>
public sealed record PackageFile(string Path, long Bytes, string Sha256);

/// <summary>
/// Writes a package's entries straight to the output (the HTTP response), each as soon as it is complete. An entry is
/// staged in a temporary file first: tar needs its size up front, Parquet a seekable stream, and the manifest its SHA-256.
/// </summary>
public sealed class PackageArchiveWriter : IAsyncDisposable
{
    private readonly PackageFormat _format;
    private readonly string _staging = Directory.CreateTempSubdirectory("lims-export-").FullName;
    private readonly GZipStream? _gzip;
    private readonly TarWriter? _tar;
    private readonly ZipArchive? _zip;
    private readonly SyncWriteBuffer? _zipOutput;
    private int _next;

    private PackageArchiveWriter(PackageFormat format, Stream output, ZipArchive? zip, SyncWriteBuffer? zipOutput)
    {
        _format = format;
        _zipOutput = zipOutput;
        if (format == PackageFormat.TarGz)
        {
            _gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
            _tar = new TarWriter(_gzip, TarEntryFormat.Pax, leaveOpen: true);
        }
        _zip = zip;
    }

    public static async Task<PackageArchiveWriter> CreateAsync(PackageFormat format, Stream output, CancellationToken ct)
    {
        if (format != PackageFormat.Zip)
        {
            return new(format, output, null, null);
        }
        var buffered = new SyncWriteBuffer(output);
        return new(format, output, await ZipArchive.CreateAsync(buffered, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct), buffered);
    }

    public List<PackageFile> Files { get; } = [];

    /// <summary>Writes one entry: <paramref name="write"/> fills a seekable staging stream, which is hashed and copied into the archive.</summary>
    public async Task<PackageFile> AddAsync(string path, Func<Stream, Task> write, CancellationToken ct)
    {
        var staged = Path.Combine(_staging, (_next++).ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            await using (var stream = new FileStream(staged, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await write(stream);
            }
            await using var content = new FileStream(staged, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, ct));
            content.Position = 0;
            if (_tar is not null)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = content };
                await _tar.WriteEntryAsync(entry, ct);
            }
            else
            {
                var entry = _zip!.CreateEntry(path, CompressionLevel.Fastest);
                await using (var target = await entry.OpenAsync(ct))
                {
                    await content.CopyToAsync(target, ct);
                }
                await _zipOutput!.FlushAsync(ct);
            }
            var file = new PackageFile(path, content.Length, hash);
            Files.Add(file);
            return file;
        }
        finally
        {
            File.Delete(staged);
        }
    }

    public string FormatName => PackageFormats.Name(_format);

    public async ValueTask DisposeAsync()
    {
        if (_tar is not null)
        {
            await _tar.DisposeAsync();
        }
        if (_gzip is not null)
        {
            await _gzip.DisposeAsync();
        }
        if (_zip is not null)
        {
            await _zip.DisposeAsync();
            await _zipOutput!.FlushAsync();
        }
        Directory.Delete(_staging, recursive: true);
    }
}
