using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Lims.Errors;

namespace Lims.Packages;

/// <summary>
/// Unpacks a package into a temporary folder and checks it before anything is imported: the archive reads to its end,
/// the manifest is there and of a known format, every file it lists is present with its size and SHA-256, and no
/// file is present that it does not list. Any failure is a 400 naming the problem.
/// </summary>
public sealed class PackageReader : IDisposable
{
    private readonly string _folder;

    private PackageReader(string folder, PackageManifest manifest)
    {
        _folder = folder;
        Manifest = manifest;
    }

    public PackageManifest Manifest { get; }

    public Stream Open(ManifestFile file) => new FileStream(Path.Combine(_folder, file.Path), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);

    /// <summary>Reads the archive from <paramref name="input"/> (copied to disk first: zip needs to seek) and verifies it.</summary>
    public static async Task<PackageReader> OpenAsync(Stream input, CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("lims-import-").FullName;
        try
        {
            var archive = Path.Combine(folder, "package");
            await using (var copy = new FileStream(archive, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await input.CopyToAsync(copy, ct);
            }
            var files = Path.Combine(folder, "files");
            Directory.CreateDirectory(files);
            await ExtractAsync(archive, files, ct);
            File.Delete(archive);
            var manifest = await ReadManifestAsync(files, ct);
            await VerifyAsync(files, manifest, ct);
            return new PackageReader(files, manifest);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    private static async Task ExtractAsync(string archive, string folder, CancellationToken ct)
    {
        await using var stream = File.OpenRead(archive);
        var head = new byte[2];
        var format = await stream.ReadAtLeastAsync(head, 2, throwOnEndOfStream: false, ct) == 2 ? PackageFormats.Detect(head) : null;
        stream.Position = 0;
        try
        {
            if (format == PackageFormat.TarGz)
            {
                await using var gzip = new GZipStream(stream, CompressionMode.Decompress);
                await using var tar = new TarReader(gzip);
                while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
                {
                    if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    {
                        await entry.ExtractToFileAsync(Target(folder, entry.Name), overwrite: false, ct);
                    }
                }
            }
            else if (format == PackageFormat.Zip)
            {
                await using var zip = await ZipArchive.CreateAsync(stream, ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, ct);
                foreach (var entry in zip.Entries.Where(e => !e.FullName.EndsWith('/')))
                {
                    await entry.ExtractToFileAsync(Target(folder, entry.FullName), overwrite: false, ct);
                }
            }
            else
            {
                throw ApiException.BadRequest("The body is not a package: expected a tar.gz or zip archive.");
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or IOException && e is not FileNotFoundException)
        {
            throw ApiException.BadRequest($"The package archive is damaged or truncated ({e.Message}); nothing was imported.",
                [new("DamagedArchive", "body", e.Message)]);
        }
    }

    /// <summary>Where an entry goes; names that climb out of the folder or are absolute are refused.</summary>
    private static string Target(string folder, string name)
    {
        var target = Path.GetFullPath(Path.Combine(folder, name));
        if (Path.IsPathRooted(name) || !target.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw ApiException.BadRequest($"The package holds an entry outside its folder: '{name}'.", [new("UnsafePath", name, "Entry names must be relative paths inside the package.")]);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        return target;
    }

    private static async Task<PackageManifest> ReadManifestAsync(string folder, CancellationToken ct)
    {
        var path = Path.Combine(folder, PackageManifest.FileName);
        if (!File.Exists(path))
        {
            throw ApiException.BadRequest($"The package has no {PackageManifest.FileName} (it is the last entry: a truncated archive loses it); nothing was imported.",
                [new("NoManifest", PackageManifest.FileName, "Missing.")]);
        }
        PackageManifest? manifest;
        try
        {
            await using var stream = File.OpenRead(path);
            manifest = await JsonSerializer.DeserializeAsync<PackageManifest>(stream, PackageManifest.JsonOptions, ct);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"{PackageManifest.FileName} is not valid: {e.Message}", [new("BadManifest", PackageManifest.FileName, e.Message)]);
        }
        if (manifest is null || manifest.PackageFormat != PackageManifest.Format || manifest.FormatVersion > PackageManifest.CurrentVersion)
        {
            throw ApiException.BadRequest($"{PackageManifest.FileName} is not a {PackageManifest.Format} manifest of version {PackageManifest.CurrentVersion} or earlier.",
                [new("BadManifest", PackageManifest.FileName, "Unknown format or version.")]);
        }
        return manifest;
    }

    private static async Task VerifyAsync(string folder, PackageManifest manifest, CancellationToken ct)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal) { PackageManifest.FileName };
        foreach (var file in manifest.Files)
        {
            var path = Target(folder, file.Path);
            listed.Add(Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/'));
            if (!File.Exists(path))
            {
                throw ApiException.BadRequest($"The package lacks {file.Path}, which its manifest lists; nothing was imported.", [new("MissingFile", file.Path, "Listed in the manifest, absent from the archive.")]);
            }
            await using var stream = File.OpenRead(path);
            var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
            if (stream.Length != file.Bytes || !string.Equals(hash, file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw ApiException.BadRequest($"{file.Path} does not match its checksum in the manifest (SHA-256 {hash}, expected {file.Sha256}); nothing was imported.",
                    [new("ChecksumMismatch", file.Path, "The file was changed or damaged after export.")]);
            }
        }
        var extra = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .FirstOrDefault(f => !listed.Contains(f));
        if (extra is not null)
        {
            throw ApiException.BadRequest($"The package holds {extra}, which its manifest does not list; nothing was imported.", [new("UnlistedFile", extra, "Not in the manifest.")]);
        }
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);
}
