#:property GenerateDocumentationFile=true

// Demo seed data for Lims: a small serial-section EM lab.
// Run from the repository root:   dotnet run seed/generate.cs   (add "-- --check-only" to only check)
// Writes seed/01-Specimens.json ... seed/09-Tiles.json (one JSON array per collection, snake_case
// wire names, deterministic: fixed random seed), then reads the files back and checks the
// cross-document rules. Exits with a non-zero code when any rule is broken.

using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

var seedDir = AppContext.GetData("EntryPointFileDirectoryPath") as string
    ?? Path.Combine(Directory.GetCurrentDirectory(), "seed");

// "--check-only" validates the files already in seed/ (e.g. after a hand edit) without regenerating them.
if (!args.Contains("--check-only", StringComparer.Ordinal))
    SeedFiles.Write(seedDir, new LabBuilder(20260304).Build());

var checker = new SeedChecker(seedDir);
var problems = checker.Run();
checker.PrintSummary();
if (problems.Count > 0)
{
    Console.Error.WriteLine($"SEED CHECK FAILED: {problems.Count} problem(s)");
    foreach (var problem in problems.Take(100))
        Console.Error.WriteLine("  " + problem);
    return 1;
}

Console.WriteLine("Seed check passed.");
return 0;

internal sealed record SeedCollection(string FileName, IReadOnlyList<JsonObject> Documents, bool OneDocumentPerLine);

internal enum TileFault
{
    None,
    Blurry,
    Dark,
    Saturated,
    Frozen,
    InvalidMatch,
}

internal readonly record struct TileStats(double Focus, double Min, double Max, double Mean, double Std);

/// <summary>Deterministic random numbers (fixed seed).</summary>
internal sealed class Rng(int seed)
{
    private readonly Random _random = new(seed);

    public double Uniform(double lo, double hi) => lo + (_random.NextDouble() * (hi - lo));

    public int Int(int lo, int hiExclusive) => _random.Next(lo, hiExclusive);

    public double Normal(double mean, double sd)
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return mean + (sd * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    public double Clamped(double mean, double sd, double lo, double hi) => Math.Clamp(Normal(mean, sd), lo, hi);

    public string Uuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }
}

internal static class Fmt
{
    public static string Ts(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTime Utc(int year, int month, int day, int hour, int minute, int second = 0) =>
        new(year, month, day, hour, minute, second, DateTimeKind.Utc);

    public static DateTime WholeSeconds(DateTime t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    public static double R(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);

    public static JsonObject Xyz(double x, double y, double z) => new() { ["x"] = R(x, 4), ["y"] = R(y, 4), ["z"] = R(z, 4) };

    public static JsonObject RowCol(int row, int col) => new() { ["row"] = row, ["col"] = col };

    public static JsonArray Point(double x, double y) => new(R(x, 1), R(y, 1));

    public static JsonArray Strings(params string[] values)
    {
        var array = new JsonArray();
        foreach (var value in values)
            array.Add((JsonNode)value);
        return array;
    }
}

internal static class SeedFiles
{
    private static readonly JsonSerializerOptions _indented = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions _compact = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string dir, IReadOnlyList<SeedCollection> collections)
    {
        Directory.CreateDirectory(dir);
        foreach (var collection in collections)
        {
            string text;
            if (collection.OneDocumentPerLine)
            {
                var lines = collection.Documents.Select(d => "  " + d.ToJsonString(_compact));
                text = "[\n" + string.Join(",\n", lines) + "\n]\n";
            }
            else
            {
                var array = new JsonArray();
                foreach (var document in collection.Documents)
                    array.Add(document.DeepClone());
                text = array.ToJsonString(_indented) + "\n";
            }

            File.WriteAllText(Path.Combine(dir, collection.FileName), text, new UTF8Encoding(false));
        }
    }
}

/// <summary>Builds the nine collections of the demo lab.</summary>
internal sealed class LabBuilder(int seed)
{
    private const string Mouse = "MOUSE-V1-001";
    private const string Fish = "ZF-LARVA-007";
    private const double OpticalPixelNm = 1250.0;
    private const int SupertileSize = 4;

    private static readonly Scope _temca2 = new("TEMCA-2", "Ximea CB200MG", "XI-CB200-31A07", 12, 3840, 3840, 4.0, -0.42,
        "LC-TEMCA2-20260202", 2900, "/data/temca2", "temca2-acq01");

    private static readonly Scope _temca3 = new("TEMCA-3", "Gatan OneView", "GTN-OV-2231", 16, 4096, 4096, 4.0, 0.27,
        "LC-TEMCA3-20260130", 3000, "/data/temca3", "temca3-acq01");

    private static readonly string[] _sharedApertureKeys =
        ["aperture_width_height", "aperture_centroid", "aperture_bounding_box", "aperture_image", "optical_pixel_size", "scale_y"];

    private readonly Rng _rng = new(seed);
    private readonly List<JsonObject> _specimens = [];
    private readonly List<JsonObject> _blocks = [];
    private readonly List<JsonObject> _sessions = [];
    private readonly List<JsonObject> _substrates = [];
    private readonly List<JsonObject> _sections = [];
    private readonly List<JsonObject> _rois = [];
    private readonly List<JsonObject> _tasks = [];
    private readonly List<JsonObject> _acquisitions = [];
    private readonly List<JsonObject> _tiles = [];
    private readonly Dictionary<string, JsonObject> _substrateById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _sectionById = new(StringComparer.Ordinal);
    private readonly Dictionary<int, JsonObject> _roiById = [];
    private readonly Dictionary<int, RoiPlan> _roiPlanById = [];
    private readonly Dictionary<int, (double X, double Y)> _roiStageCentre = [];
    private readonly Dictionary<string, JsonObject> _taskById = new(StringComparer.Ordinal);

    private sealed record Scope(string Id, string CameraModel, string CameraSerial, int CameraBits, int TileW, int TileH,
        double PixelNm, double RotationDeg, string LensModel, int Magnification, string LocalRoot, string Host);

    private sealed record SessionPlan(string Id, string SpecimenId, string BlockId, DateTime Start, DateTime End, string Operator,
        string Device, string MediaType, string KnifeId, string MediaId, int SectionCount, double ThicknessUm,
        IReadOnlyDictionary<int, string> Defects);

    private sealed record RoiPlan(int RoiId, string SectionId, int Rows, int Cols, bool Auto, int? ParentRoiId, string Label);

    private sealed record AcqPlan
    {
        public required string Id { get; init; }
        public required string TaskId { get; init; }
        public required string Status { get; init; }
        public required Scope Scope { get; init; }
        public required DateTime Start { get; init; }
        public DateTime? End { get; init; }
        public required string MontageSetName { get; init; }
        public int SavedBits { get; init; } = 8;
        public double Overlap { get; init; } = 0.1;
        public double Tilt { get; init; }
        public bool LensCorrection { get; init; }
        public string? Replaces { get; init; }
        public int? TilesSoFar { get; init; }
        public double FocusMedian { get; init; } = 0.82;
        public Dictionary<(int Row, int Col), TileFault> Faults { get; init; } = new Dictionary<(int Row, int Col), TileFault>();
        public HashSet<(int Row, int Col)> Missing { get; init; } = new HashSet<(int Row, int Col)>();
    }

    public IReadOnlyList<SeedCollection> Build()
    {
        AddSpecimens();
        AddBlocks();
        var sessionPlans = SessionPlans();
        AddCuttingSessions(sessionPlans);
        AddSubstrates();
        AddSections(sessionPlans);
        AddRois();
        AddTasksAndAcquisitions();
        return
        [
            new("01-Specimens.json", _specimens, false),
            new("02-Blocks.json", _blocks, false),
            new("03-CuttingSessions.json", _sessions, false),
            new("04-Substrates.json", _substrates, false),
            new("05-Sections.json", _sections, false),
            new("06-ROIs.json", _rois, false),
            new("07-AcquisitionTasks.json", _tasks, false),
            new("08-Acquisitions.json", _acquisitions, false),
            new("09-Tiles.json", _tiles, true),
        ];
    }

    // ---------------------------------------------------------------- specimens, blocks, sessions

    private void AddSpecimens()
    {
        _specimens.Add(new JsonObject
        {
            ["specimen_id"] = Mouse,
            ["description"] = "Adult mouse (P84, male), primary visual cortex (V1). Perfused, rOTO-stained, Epon-embedded; "
                + "L1-L4 volume co-registered with in-vivo two-photon calcium imaging.",
            ["specimen_images"] = Fmt.Strings(
                "s3://lims-demo-specimens/MOUSE-V1-001/brain-dorsal.jpg",
                "s3://lims-demo-specimens/MOUSE-V1-001/cranial-window-vasculature.tif",
                "s3://lims-demo-specimens/MOUSE-V1-001/blockface-B1.png"),
            ["functional_imaging_metadata"] = new JsonObject
            {
                ["modality"] = "two-photon calcium imaging",
                ["indicator"] = "GCaMP6s",
                ["imaging_sessions"] = 12,
                ["frame_rate_hz"] = 30.0,
                ["field_of_view_um"] = new JsonArray(800, 800),
                ["depth_range_um"] = new JsonArray(120, 380),
                ["stimuli"] = Fmt.Strings("drifting gratings", "natural movies"),
                ["dataset_url"] = "s3://lims-demo-functional/MOUSE-V1-001/",
                ["registration_landmarks"] = "surface vasculature",
            },
        });
        _specimens.Add(new JsonObject
        {
            ["specimen_id"] = Fish,
            ["description"] = "Larval zebrafish, 7 dpf, nacre background, whole brain. High-pressure frozen and freeze-substituted "
                + "after light-sheet whole-brain activity imaging.",
            ["specimen_images"] = Fmt.Strings(
                "s3://lims-demo-specimens/ZF-LARVA-007/larva-lateral.jpg",
                "s3://lims-demo-specimens/ZF-LARVA-007/lightsheet-mip.tif"),
            ["functional_imaging_metadata"] = new JsonObject
            {
                ["modality"] = "light-sheet calcium imaging",
                ["indicator"] = "elavl3:H2B-GCaMP6f",
                ["volume_rate_hz"] = 2.0,
                ["planes"] = 40,
                ["stimuli"] = Fmt.Strings("looming dot", "optomotor gratings"),
                ["dataset_url"] = "s3://lims-demo-functional/ZF-LARVA-007/",
            },
        });
    }

    private void AddBlocks()
    {
        _blocks.Add(Block(Mouse + "-B1", Mouse, 0.7, Fmt.Utc(2025, 12, 15, 10, 30), [1900, 1650, 1200],
            "V1 L1-L4, vasculature landmarks visible"));
        _blocks.Add(Block(Mouse + "-B2", Mouse, 0.7, Fmt.Utc(2025, 12, 16, 9, 45), [1850, 1700, 1150],
            "V1 L4-L6 and white matter"));
        _blocks.Add(Block(Fish + "-B1", Fish, 0.5, Fmt.Utc(2025, 12, 18, 14, 0), [1400, 900, 800],
            "whole head, anterior up; eyes intact"));
    }

    private static JsonObject Block(string blockId, string specimenId, double voxelUm, DateTime scanDate, int[] dims, string notes) => new()
    {
        ["block_id"] = blockId,
        ["specimen_id"] = specimenId,
        ["microCT_info"] = new JsonObject
        {
            ["voxel_size_um"] = voxelUm,
            ["scan_date"] = Fmt.Ts(scanDate),
            ["scanner"] = "Zeiss Xradia 520 Versa",
            ["tube_voltage_kv"] = 60,
            ["dimensions_voxels"] = new JsonArray(dims[0], dims[1], dims[2]),
            ["volume_url"] = $"s3://lims-demo-microct/{blockId}/volume.zarr",
            ["notes"] = notes,
        },
    };

    private static SessionPlan[] SessionPlans() =>
    [
        new("CS1", Mouse, Mouse + "-B1", Fmt.Utc(2026, 1, 12, 8, 30), Fmt.Utc(2026, 1, 12, 14, 10), "a.nguyen", "Leica EM UC7", "tape",
            "DIATOME-ULTRA45-K0412", "TAPE-0001", 20, 0.045,
            new Dictionary<int, string> { [7] = "broken", [14] = "thin", [19] = "empty" }),
        new("CS2", Mouse, Mouse + "-B2", Fmt.Utc(2026, 1, 19, 9, 0), Fmt.Utc(2026, 1, 19, 13, 45), "j.okafor", "Leica EM UC7", "wafer",
            "DIATOME-ULTRA35-K0388", "WAFER-0003", 14, 0.045,
            new Dictionary<int, string> { [4] = "thick", [11] = "thin" }),
        new("CS3", Fish, Fish + "-B1", Fmt.Utc(2026, 1, 26, 10, 15), Fmt.Utc(2026, 1, 26, 15, 30), "m.schmidt", "RMC PowerTome PC", "tape",
            "DIATOME-ULTRA45-K0415", "TAPE-0002", 16, 0.05,
            new Dictionary<int, string> { [3] = "broken", [9] = "thick", [15] = "empty" }),
    ];

    private void AddCuttingSessions(SessionPlan[] plans)
    {
        foreach (var p in plans)
        {
            _sessions.Add(new JsonObject
            {
                ["cutting_session_id"] = p.Id,
                ["specimen_id"] = p.SpecimenId,
                ["block_id"] = p.BlockId,
                ["start_time"] = Fmt.Ts(p.Start),
                ["end_time"] = Fmt.Ts(p.End),
                ["operator"] = p.Operator,
                ["sectioning_device"] = p.Device,
                ["media_type"] = p.MediaType,
                ["knife_id"] = p.KnifeId,
            });
        }
    }

    // ---------------------------------------------------------------- substrates and sections

    private void AddSubstrates()
    {
        AddSubstrate("TAPE-0001", "tape", "full", 20, "a.nguyen", Fmt.Utc(2026, 1, 8, 16, 0), []);
        AddSubstrate("TAPE-0002", "tape", "in_use", 24, "m.schmidt", Fmt.Utc(2026, 1, 22, 11, 20), []);
        AddSubstrate("WAFER-0003", "wafer", "in_use", 16, "j.okafor", Fmt.Utc(2026, 1, 15, 9, 10), []);
        AddSubstrate("WAFER-0004", "wafer", "new", 16, "j.okafor", Fmt.Utc(2026, 2, 27, 15, 40), []);
        AddSubstrate("TAPE-0005", "tape", "retired", 20, "a.nguyen", Fmt.Utc(2025, 11, 3, 10, 0), [3, 4, 11]);
    }

    private void AddSubstrate(string mediaId, string mediaType, string status, int count, string user, DateTime created, HashSet<int> damaged)
    {
        var tape = mediaType == "tape";
        var apertures = new JsonArray();
        var centroids = new List<(double X, double Y)>();
        for (var i = 0; i < count; i++)
        {
            var (x, y) = tape ? (i * 6.0, 0.0) : (((i % 4) - 1.5) * 18.0, ((i / 4) - 1.5) * 14.0);
            centroids.Add((x, y));
            var shapeParams = tape
                ? new JsonObject { ["width_mm"] = 2.0, ["height_mm"] = 1.5, ["corner_radius_mm"] = 0.1 }
                : new JsonObject { ["width_mm"] = 2.8, ["height_mm"] = 1.8, ["angle_deg"] = Fmt.R(_rng.Normal(0, 1.2), 2) };
            apertures.Add((JsonNode)new JsonObject
            {
                ["uid"] = _rng.Uuid(),
                ["index"] = i,
                ["centroid"] = Fmt.Xyz(x, y, 0),
                ["shape"] = tape ? "slot" : "section_site",
                ["shape_type"] = "rectangle",
                ["shape_params"] = shapeParams,
                ["status"] = damaged.Contains(i) ? "damaged" : "empty",
            });
        }

        var origin = centroids[0];
        var end = centroids[^1];
        var reference = tape ? (0.0, 3.0) : (origin.X, origin.Y - 10.0);
        var worldOrigin = (X: _rng.Uniform(-500, 500), Y: _rng.Uniform(-500, 500), Z: _rng.Uniform(5, 20));
        var theta = _rng.Normal(0, 0.004);
        JsonObject World(double x, double y)
        {
            var dx = (x - origin.X) * 1000.0;
            var dy = (y - origin.Y) * 1000.0;
            return Fmt.Xyz(worldOrigin.X + (dx * Math.Cos(theta)) - (dy * Math.Sin(theta)),
                worldOrigin.Y + (dx * Math.Sin(theta)) + (dy * Math.Cos(theta)), worldOrigin.Z + (dx * 1e-5));
        }

        var extra = tape
            ? new JsonObject { ["pitch_mm"] = 6.0, ["film"] = "LUXFilm 50 nm", ["reel_length_m"] = Fmt.R(count * 0.006, 3) }
            : new JsonObject { ["diameter_mm"] = 100, ["coating"] = "ITO", ["layout"] = "4x4" };
        if (damaged.Count > 0)
            extra["retired_reason"] = "film tears at apertures " + string.Join(", ", damaged.Order());

        var substrate = new JsonObject
        {
            ["media_id"] = mediaId,
            ["media_type"] = mediaType,
            ["uid"] = _rng.Uuid(),
            ["status"] = status,
            ["refpoint"] = new JsonObject
            {
                ["origin"] = Fmt.Xyz(origin.X, origin.Y, 0),
                ["end"] = Fmt.Xyz(end.X, end.Y, 0),
                ["ref"] = Fmt.Xyz(reference.Item1, reference.Item2, 0),
            },
            ["refpoint_world"] = new JsonObject
            {
                ["origin"] = World(origin.X, origin.Y),
                ["end"] = World(end.X, end.Y),
                ["ref"] = World(reference.Item1, reference.Item2),
            },
            ["source_path"] = $"s3://lims-demo-substrates/{mediaId}/layout.json",
            ["metadata"] = new JsonObject
            {
                ["name"] = tape ? $"GridTape reel {mediaId}" : $"Silicon wafer {mediaId}",
                ["user"] = user,
                ["created"] = Fmt.Ts(created),
                ["calibrated"] = status != "new",
                ["extra"] = extra,
            },
            ["apertures"] = apertures,
        };
        _substrates.Add(substrate);
        _substrateById[mediaId] = substrate;
    }

    private void AddSections(SessionPlan[] plans)
    {
        foreach (var p in plans)
        {
            var substrate = _substrateById[p.MediaId];
            var apertures = (JsonArray)substrate["apertures"]!;
            var substrateNumber = int.Parse(p.MediaId.AsSpan(p.MediaId.IndexOf('-', StringComparison.Ordinal) + 1), CultureInfo.InvariantCulture);
            var span = p.End - p.Start;
            for (var n = 1; n <= p.SectionCount; n++)
            {
                var aperture = (JsonObject)apertures[n - 1]!;
                aperture["status"] = "occupied";
                var index = aperture["index"]!.GetValue<int>();
                var quality = p.Defects.TryGetValue(n, out var q) ? q : "good";
                var timestamp = Fmt.WholeSeconds(p.Start + (span * ((n - 0.5) / p.SectionCount)) + TimeSpan.FromSeconds(_rng.Int(-90, 90)));
                var thickness = quality switch
                {
                    "thin" => p.ThicknessUm * 0.65,
                    "thick" => p.ThicknessUm * 1.45,
                    _ => _rng.Normal(p.ThicknessUm, 0.0015),
                };
                var confidence = quality switch
                {
                    "good" => _rng.Uniform(0.86, 0.99),
                    "thin" => _rng.Uniform(0.62, 0.8),
                    "thick" => _rng.Uniform(0.7, 0.85),
                    "broken" => _rng.Uniform(0.3, 0.5),
                    _ => _rng.Uniform(0.01, 0.08),
                };
                var runParameters = new JsonObject
                {
                    ["cutting_speed_mm_s"] = p.MediaType == "tape" ? 0.6 : 0.8,
                    ["feed_nm"] = Fmt.R(p.ThicknessUm * 1000, 1),
                    ["clearance_angle_deg"] = 6,
                    ["room_temp_c"] = Fmt.R(_rng.Uniform(20.8, 21.6), 1),
                    ["humidity_pct"] = Fmt.R(_rng.Uniform(38, 46), 1),
                };
                if (p.MediaType == "tape")
                    runParameters["tape_speed_um_s"] = 320;
                else
                    runParameters["pickup"] = "manual loop";

                var sectionId = $"{p.Id}-S{n:D4}";
                var section = new JsonObject
                {
                    ["section_id"] = sectionId,
                    ["section_number"] = n,
                    ["timestamp"] = Fmt.Ts(timestamp),
                    ["cutting_session_id"] = p.Id,
                    ["block_id"] = p.BlockId,
                    ["specimen_id"] = p.SpecimenId,
                    ["media_id"] = p.MediaId,
                    ["media_type"] = p.MediaType,
                    ["aperture_uid"] = aperture["uid"]!.GetValue<string>(),
                    ["aperture_index"] = index,
                    ["relative_position"] = index - (apertures.Count / 2),
                    ["barcode"] = $"{100000 + (substrateNumber * 1000) + index}",
                    ["optical_image"] = new JsonObject
                    {
                        ["url"] = $"s3://lims-demo-optical/{p.MediaId}/aperture-{index:D3}.png",
                        ["pixel_size_nm"] = OpticalPixelNm,
                        ["width_px"] = 2448,
                        ["height_px"] = 2048,
                        ["objective"] = "5x",
                        ["captured_at"] = Fmt.Ts(p.End.AddDays(1).AddMinutes(2 * n)),
                    },
                    ["section_metrics"] = new JsonObject
                    {
                        ["quality"] = quality,
                        ["thickness_um"] = Fmt.R(thickness, 4),
                        ["knife_quality"] = Fmt.R(0.98 - (0.06 * n / p.SectionCount) + _rng.Normal(0, 0.004), 3),
                        ["tissue_confidence_score"] = Fmt.R(confidence, 3),
                        ["run_parameters"] = runParameters,
                    },
                };
                _sections.Add(section);
                _sectionById[sectionId] = section;
            }
        }
    }

    // ---------------------------------------------------------------- ROIs

    private void AddRois()
    {
        RoiPlan[] plans =
        [
            new(1, "CS1-S0003", 20, 25, true, null, "tissue"),
            new(2, "CS1-S0005", 24, 24, true, null, "tissue"),
            new(3, "CS1-S0008", 16, 20, true, null, "tissue"),
            new(4, "CS1-S0012", 20, 25, false, null, "tissue"),
            new(5, "CS1-S0016", 20, 20, true, null, "tissue"),
            new(6, "CS2-S0002", 6, 6, false, null, "lens-calibration patch"),
            new(7, "CS2-S0006", 22, 24, true, null, "tissue"),
            new(8, "CS2-S0010", 22, 24, true, null, "tissue"),
            new(9, "CS3-S0004", 18, 22, true, null, "tectum"),
            new(10, "CS3-S0007", 20, 24, true, null, "tectum"),
            new(11, "CS3-S0011", 18, 24, false, null, "hindbrain"),
            new(12, "CS3-S0014", 18, 24, true, null, "hindbrain"),
            new(13, "CS1-S0005", 12, 16, false, 2, "L4 barrel-like cluster"),
        ];
        foreach (var plan in plans)
            AddRoi(plan);
    }

    private void AddRoi(RoiPlan p)
    {
        var section = _sectionById[p.SectionId];
        var mediaId = section["media_id"]!.GetValue<string>();
        var index = section["aperture_index"]!.GetValue<int>();
        var substrate = _substrateById[mediaId];
        var aperture = (JsonObject)((JsonArray)substrate["apertures"]!)[index]!;
        var shape = (JsonObject)aperture["shape_params"]!;
        var apertureW = shape["width_mm"]!.GetValue<double>() + _rng.Normal(0, 0.004);
        var apertureH = shape["height_mm"]!.GetValue<double>() + _rng.Normal(0, 0.004);
        var wPx = apertureW * 1e6 / OpticalPixelNm;
        var hPx = apertureH * 1e6 / OpticalPixelNm;
        var cx = 1224 + _rng.Normal(0, 12);
        var cy = 1024 + _rng.Normal(0, 12);

        // The ROI rectangle in optical pixels: sized to the planned EM raster (about 13.9 um per tile step).
        const double stepUm = 13.9;
        var roiW = p.Cols * stepUm * 1000 / OpticalPixelNm;
        var roiH = p.Rows * stepUm * 1000 / OpticalPixelNm;
        double rx, ry;
        if (p.ParentRoiId is { } parentId)
        {
            var parentCorners = (JsonObject)_roiById[parentId]["corners_perpendicular"]!;
            var tl = (JsonArray)parentCorners["top_left"]!;
            var br = (JsonArray)parentCorners["bottom_right"]!;
            rx = (tl[0]!.GetValue<double>() + br[0]!.GetValue<double>()) / 2 + 20;
            ry = (tl[1]!.GetValue<double>() + br[1]!.GetValue<double>()) / 2 - 15;
        }
        else
        {
            rx = cx + _rng.Normal(0, 60);
            ry = cy + _rng.Normal(0, 40);
        }

        var angle = _rng.Normal(0, 3.0) * Math.PI / 180.0;
        JsonObject Corners(double theta)
        {
            JsonArray Corner(double sx, double sy)
            {
                var dx = sx * roiW / 2;
                var dy = sy * roiH / 2;
                return Fmt.Point(rx + (dx * Math.Cos(theta)) - (dy * Math.Sin(theta)), ry + (dx * Math.Sin(theta)) + (dy * Math.Cos(theta)));
            }

            return new JsonObject
            {
                ["top_left"] = Corner(-1, -1),
                ["top_right"] = Corner(1, -1),
                ["bottom_left"] = Corner(-1, 1),
                ["bottom_right"] = Corner(1, 1),
            };
        }

        var corners = Corners(angle);
        var polygon = new JsonArray
        {
            corners["top_left"]!.DeepClone(), corners["top_right"]!.DeepClone(),
            corners["bottom_right"]!.DeepClone(), corners["bottom_left"]!.DeepClone(),
        };
        var updated = _sectionById[p.SectionId]["optical_image"]!["captured_at"]!.GetValue<string>();
        var editTime = Fmt.Ts(DateTime.Parse(updated, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal).AddHours(3));
        var edits = new JsonArray();
        if (!p.Auto)
        {
            edits.Add((JsonNode)new JsonObject { ["user"] = "r.patel", ["timestamp"] = editTime, ["action"] = "draw_polygon", ["vertices"] = 4 });
        }
        else if (p.RoiId % 4 == 2)
        {
            edits.Add((JsonNode)new JsonObject
            {
                ["user"] = "r.patel",
                ["timestamp"] = editTime,
                ["action"] = "move_corner",
                ["corner"] = "top_left",
                ["dx_px"] = 6,
                ["dy_px"] = -4,
            });
        }

        var roi = new JsonObject
        {
            ["roi_id"] = p.RoiId,
            ["section_id"] = p.SectionId,
            ["cutting_session_id"] = section["cutting_session_id"]!.GetValue<string>(),
            ["block_id"] = section["block_id"]!.GetValue<string>(),
            ["specimen_id"] = section["specimen_id"]!.GetValue<string>(),
            ["section_number"] = section["section_number"]!.GetValue<int>(),
        };
        if (p.ParentRoiId is { } parent)
            roi["parent_roi_id"] = parent;
        roi["aperture_width_height"] = new JsonArray(Fmt.R(apertureW, 4), Fmt.R(apertureH, 4));
        roi["aperture_centroid"] = Fmt.Point(cx, cy);
        roi["aperture_bounding_box"] = new JsonArray(
            (int)Math.Round(cx - (wPx / 2)), (int)Math.Round(cy - (hPx / 2)), (int)Math.Round(cx + (wPx / 2)), (int)Math.Round(cy + (hPx / 2)));
        roi["aperture_image"] = section["optical_image"]!["url"]!.GetValue<string>();
        roi["optical_pixel_size"] = OpticalPixelNm;
        roi["scale_y"] = Fmt.R(1 + _rng.Normal(0, 0.003), 4);
        roi["barcode"] = int.Parse(section["barcode"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        roi["rois"] = new JsonArray(new JsonObject { ["label"] = p.Label, ["vertices"] = polygon });
        roi["bucket"] = "lims-demo-rois";
        roi["roi_mask"] = $"s3://lims-demo-rois/masks/{p.SectionId}/roi-{p.RoiId:D3}.png";
        roi["roi_mask_bucket"] = "lims-demo-rois";
        roi["corners"] = corners;
        roi["corners_perpendicular"] = Corners(0);
        roi["rule"] = p.Auto ? "min_area_rect" : "manual";
        roi["edits"] = edits;
        roi["auto_roi"] = p.Auto;
        roi["roi_parameters"] = new JsonObject
        {
            ["segmentation_model"] = "tissue-unet-v2",
            ["threshold"] = Fmt.R(_rng.Uniform(0.4, 0.5), 2),
            ["min_area_px"] = 4000,
            ["dilation_px"] = 8,
            ["margin_um"] = 15.0,
            ["target_raster"] = new JsonObject { ["rows"] = p.Rows, ["cols"] = p.Cols },
        };
        if (p.ParentRoiId is { } parentRoiId)
        {
            // A child ROI lies on the same section, so it shares the parent's aperture measurements.
            var parentRoi = _roiById[parentRoiId];
            foreach (var key in _sharedApertureKeys)
                roi[key] = parentRoi[key]!.DeepClone();
        }

        _rois.Add(roi);
        _roiById[p.RoiId] = roi;
        _roiPlanById[p.RoiId] = p;

        // Stage centre of the ROI (nm); a child ROI sits inside its parent.
        _roiStageCentre[p.RoiId] = p.ParentRoiId is { } pid
            ? (_roiStageCentre[pid].X + 25000, _roiStageCentre[pid].Y - 18750)
            : (Math.Round(_rng.Uniform(-600, 600)) * 1000, Math.Round(_rng.Uniform(-450, 450)) * 1000);
    }

    // ---------------------------------------------------------------- tasks and acquisitions

    private void AddTasksAndAcquisitions()
    {
        // Lens correction calibration for TEMCA-2 (its id is the lens_model the later TEMCA-2 acquisitions use).
        AddTask("TASK-0005", 6, "lens_correction", "Completed", Fmt.Utc(2026, 2, 2, 8, 40), Fmt.Utc(2026, 2, 2, 9, 30), null,
            Fmt.Strings("calibration", "lens-correction", "TEMCA-2"), Meta("j.okafor", "high", 0, "lens model LC-TEMCA2-20260202"));
        AddAcquisition(new AcqPlan
        {
            Id = "ACQ-0006", TaskId = "TASK-0005", Status = "qc-passed", Scope = _temca2, LensCorrection = true, Overlap = 0.5,
            Start = Fmt.Utc(2026, 2, 2, 8, 45), End = Fmt.Utc(2026, 2, 2, 8, 52), MontageSetName = "TEMCA2-lens-2026-02-02",
            FocusMedian = 0.86,
        });

        AddTask("TASK-0001", 1, "standard_acquisition", "Completed", Fmt.Utc(2026, 2, 3, 9, 0), Fmt.Utc(2026, 2, 3, 10, 15), null,
            Fmt.Strings("mouse", "v1", "CS1"), Meta("r.patel", "normal", 2, null));
        AddAcquisition(new AcqPlan
        {
            Id = "ACQ-0001", TaskId = "TASK-0001", Status = "qc-passed", Scope = _temca2,
            Start = Fmt.Utc(2026, 2, 3, 9, 5), End = Fmt.Utc(2026, 2, 3, 9, 32), MontageSetName = "MOUSE-V1-001_CS1",
        });

        // TASK-0002: the first acquisition failed QC (blur, frozen frames, missing tiles) and was re-imaged.
        var t2Meta = Meta("r.patel", "normal", 2, "re-imaged once after QC");
        t2Meta["retries_used"] = 1;
        AddTask("TASK-0002", 2, "standard_acquisition", "Completed", Fmt.Utc(2026, 2, 4, 10, 0), Fmt.Utc(2026, 2, 5, 9, 50), null,
            Fmt.Strings("mouse", "v1", "CS1", "re-imaged"), t2Meta);
        AddAcquisition(new AcqPlan
        {
            Id = "ACQ-0002", TaskId = "TASK-0002", Status = "to be re-imaged", Scope = _temca2, SavedBits = 16,
            Start = Fmt.Utc(2026, 2, 4, 10, 4), End = Fmt.Utc(2026, 2, 4, 10, 35), MontageSetName = "MOUSE-V1-001_CS1",
            Missing = new HashSet<(int Row, int Col)> { (5, 17), (12, 3), (12, 4), (19, 22), (23, 0) },
            Faults = new Dictionary<(int Row, int Col), TileFault>
            {
                [(8, 10)] = TileFault.Blurry, [(8, 11)] = TileFault.Blurry, [(9, 10)] = TileFault.Blurry,
                [(9, 11)] = TileFault.Blurry, [(9, 12)] = TileFault.Blurry, [(15, 20)] = TileFault.Blurry,
                [(14, 6)] = TileFault.Frozen, [(20, 13)] = TileFault.Frozen,
                [(2, 21)] = TileFault.Saturated,
                [(3, 3)] = TileFault.InvalidMatch, [(17, 9)] = TileFault.InvalidMatch, [(21, 2)] = TileFault.InvalidMatch,
            },
        });
        AddAcquisition(new AcqPlan
        {
            Id = "ACQ-0003", TaskId = "TASK-0002", Status = "qc-passed", Scope = _temca2, SavedBits = 16, Replaces = "ACQ-0002",
            Start = Fmt.Utc(2026, 2, 5, 8, 30), End = Fmt.Utc(2026, 2, 5, 9, 2), MontageSetName = "MOUSE-V1-001_CS1",
            FocusMedian = 0.84,
        });

        AddTask("TASK-0004", 5, "montage", "Completed", Fmt.Utc(2026, 2, 10, 13, 0), Fmt.Utc(2026, 2, 10, 14, 5), null,
            Fmt.Strings("mouse", "v1", "CS1", "overview"), Meta("r.patel", "low", 1, "overview montage for alignment"));
        AddAcquisition(new AcqPlan
        {
            Id = "ACQ-0005", TaskId = "TASK-0004", Status = "qc-passed", Scope = _temca2,
            Start = Fmt.Utc(2026, 2, 10, 13, 5), End = Fmt.Utc(2026, 2, 10, 13, 28), MontageSetName = "MOUSE-V1-001_CS1",
            Tilt = 0.5, FocusMedian = 0.8,
        });

        var t10Meta = Meta("r.patel", "normal", 2, null);
        t10Meta["aborted_by"] = "j.okafor";
        t10Meta["abort_reason"] = "child ROI redrawn; acquisition stopped by operator";
        AddTask("TASK-0010", 13, "standard_acquisition", "Aborted", Fmt.Utc(2026, 2, 12, 11, 0), Fmt.Utc(2026, 2, 12, 11, 8), null,
            Fmt.Strings("mouse", "v1", "CS1", "child-roi"), t10Meta);
        AddAcquisition(new AcqPlan
        {
            Id = "ACQ-0009", TaskId = "TASK-0010", Status = "aborted", Scope = _temca2, TilesSoFar = 40,
            Start = Fmt.Utc(2026, 2, 12, 11, 2), End = Fmt.Utc(2026, 2, 12, 11, 5), MontageSetName = "MOUSE-V1-001_CS1",
        });

        AddTask("TASK-0006", 9, "standard_acquisition", "Failed", Fmt.Utc(2026, 2, 20, 13, 0), Fmt.Utc(2026, 2, 20, 15, 20),
            "ACQ-0007 failed QC: 8 dark tiles, 5 saturated tiles and 6 missing raster positions (beam current unstable on TEMCA-3); no retries left",
            Fmt.Strings("zebrafish", "tectum", "CS3"), Meta("m.schmidt", "high", 0, null));
        AddAcquisition(new AcqPlan
        {
            Id = "ACQ-0007", TaskId = "TASK-0006", Status = "failed", Scope = _temca3,
            Start = Fmt.Utc(2026, 2, 20, 13, 3), End = Fmt.Utc(2026, 2, 20, 13, 35), MontageSetName = "ZF-LARVA-007_CS3",
            FocusMedian = 0.78,
            Missing = new HashSet<(int Row, int Col)> { (6, 8), (6, 9), (17, 20), (17, 21), (0, 21), (13, 2) },
            Faults = new Dictionary<(int Row, int Col), TileFault>
            {
                [(6, 0)] = TileFault.Dark, [(6, 1)] = TileFault.Dark, [(6, 2)] = TileFault.Dark, [(6, 3)] = TileFault.Dark,
                [(6, 4)] = TileFault.Dark, [(6, 5)] = TileFault.Dark, [(6, 6)] = TileFault.Dark, [(6, 7)] = TileFault.Dark,
                [(10, 15)] = TileFault.Saturated, [(10, 16)] = TileFault.Saturated, [(11, 15)] = TileFault.Saturated,
                [(11, 16)] = TileFault.Saturated, [(12, 16)] = TileFault.Saturated,
                [(3, 4)] = TileFault.Blurry, [(3, 5)] = TileFault.Blurry,
            },
        });

        AddTask("TASK-0007", 10, "standard_acquisition", "In Progress", Fmt.Utc(2026, 3, 3, 14, 0), null, null,
            Fmt.Strings("zebrafish", "tectum", "CS3"), Meta("m.schmidt", "normal", 2, null));
        AddAcquisition(new AcqPlan
        {
            Id = "ACQ-0008", TaskId = "TASK-0007", Status = "acquired", Scope = _temca3, SavedBits = 16,
            Start = Fmt.Utc(2026, 3, 3, 14, 2), End = Fmt.Utc(2026, 3, 3, 14, 44), MontageSetName = "ZF-LARVA-007_CS3",
            FocusMedian = 0.8,
        });

        AddTask("TASK-0003", 3, "standard_acquisition", "In Progress", Fmt.Utc(2026, 3, 4, 8, 55), null, null,
            Fmt.Strings("mouse", "v1", "CS1"), Meta("r.patel", "normal", 2, null));
        AddAcquisition(new AcqPlan
        {
            Id = "ACQ-0004", TaskId = "TASK-0003", Status = "imaging", Scope = _temca2, TilesSoFar = 200,
            Start = Fmt.Utc(2026, 3, 4, 9, 0), MontageSetName = "MOUSE-V1-001_CS1",
        });

        AddTask("TASK-0008", 11, "standard_acquisition", "Planned", null, null, null,
            Fmt.Strings("zebrafish", "hindbrain", "CS3"), Meta("m.schmidt", "normal", 2, null));
        AddTask("TASK-0009", 12, "standard_acquisition", "Planned", null, null, null,
            Fmt.Strings("zebrafish", "hindbrain", "CS3"), Meta("m.schmidt", "low", 2, "after TASK-0008"));

        _tasks.Sort((a, b) => string.CompareOrdinal(a["task_id"]!.GetValue<string>(), b["task_id"]!.GetValue<string>()));
        _acquisitions.Sort((a, b) => string.CompareOrdinal(a["acquisition_id"]!.GetValue<string>(), b["acquisition_id"]!.GetValue<string>()));
        _tiles.Sort((a, b) =>
        {
            var byAcq = string.CompareOrdinal(a["acquisition_id"]!.GetValue<string>(), b["acquisition_id"]!.GetValue<string>());
            return byAcq != 0 ? byAcq : a["raster_index"]!.GetValue<int>().CompareTo(b["raster_index"]!.GetValue<int>());
        });
    }

    private static JsonObject Meta(string requestedBy, string priority, int maxRetries, string? notes)
    {
        var meta = new JsonObject { ["requested_by"] = requestedBy, ["priority"] = priority, ["max_retries"] = maxRetries };
        if (notes is not null)
            meta["notes"] = notes;
        return meta;
    }

    private void AddTask(string taskId, int roiId, string taskType, string status, DateTime? started, DateTime? completed,
        string? error, JsonArray tags, JsonObject metadata)
    {
        var roi = _roiById[roiId];
        var task = new JsonObject
        {
            ["task_id"] = taskId,
            ["specimen_id"] = roi["specimen_id"]!.GetValue<string>(),
            ["block_id"] = roi["block_id"]!.GetValue<string>(),
            ["roi_id"] = roiId,
            ["task_type"] = taskType,
            ["status"] = status,
        };
        if (started is { } s)
            task["started_at"] = Fmt.Ts(s);
        if (completed is { } c)
            task["completed_at"] = Fmt.Ts(c);
        if (error is not null)
            task["error_message"] = error;
        task["tags"] = tags;
        task["metadata"] = metadata;
        _tasks.Add(task);
        _taskById[taskId] = task;
    }

    private void AddAcquisition(AcqPlan p)
    {
        var task = _taskById[p.TaskId];
        var roiId = task["roi_id"]!.GetValue<int>();
        var roi = _roiById[roiId];
        var plan = _roiPlanById[roiId];
        var specimenId = task["specimen_id"]!.GetValue<string>();
        var section = _sectionById[roi["section_id"]!.GetValue<string>()];
        var scope = p.Scope;
        var number = int.Parse(p.Id.AsSpan(4), CultureInfo.InvariantCulture);

        var storage = new JsonArray();
        var local = $"{scope.LocalRoot}/{p.Id}";
        var s3 = $"s3://lims-demo-em/{specimenId}/{p.Id}";
        var endOrStart = p.End ?? p.Start;
        JsonObject Location(string type, string basePath, bool current, DateTime added, JsonObject meta) => new()
        {
            ["location_type"] = type,
            ["base_path"] = basePath,
            ["is_current"] = current,
            ["date_added"] = Fmt.Ts(added),
            ["metadata"] = meta,
        };
        var localMeta = new JsonObject { ["host"] = scope.Host, ["filesystem"] = "xfs" };
        switch (p.Status)
        {
            case "qc-passed":
                storage.Add((JsonNode)Location("local", local, false, p.Start, localMeta));
                storage.Add((JsonNode)Location("s3", s3, true, endOrStart.AddHours(2),
                    new JsonObject { ["region"] = "us-west-2", ["storage_class"] = "STANDARD" }));
                break;
            case "to be re-imaged":
                storage.Add((JsonNode)Location("local", local, false, p.Start, localMeta));
                storage.Add((JsonNode)Location("s3", $"s3://lims-demo-em-archive/{specimenId}/{p.Id}", true, endOrStart.AddHours(3),
                    new JsonObject { ["region"] = "us-west-2", ["storage_class"] = "GLACIER_IR", ["reason"] = "replaced by re-imaging" }));
                break;
            case "aborted":
                localMeta["purged"] = true;
                storage.Add((JsonNode)Location("local", local, false, p.Start, localMeta));
                break;
            default:
                storage.Add((JsonNode)Location("local", local, true, p.Start, localMeta));
                break;
        }

        var current = storage.Select(n => (JsonObject)n!).FirstOrDefault(n => n["is_current"]!.GetValue<bool>())
            ?? (JsonObject)storage[0]!;
        var imageBase = current["base_path"]!.GetValue<string>();

        var acquisitionSettings = new JsonObject
        {
            ["magnification"] = scope.Magnification,
            ["spot_size"] = 3,
            ["exposure_time"] = scope.Id == "TEMCA-2" ? 40.0 : 32.5,
            ["tile_size"] = new JsonArray(scope.TileW, scope.TileH),
            ["tile_overlap"] = p.Overlap,
            ["saved_bit_depth"] = p.SavedBits,
            ["raster"] = new JsonObject { ["rows"] = plan.Rows, ["cols"] = plan.Cols },
            ["supertile_size"] = new JsonObject { ["rows"] = SupertileSize, ["cols"] = SupertileSize },
        };
        var calibration = new JsonObject
        {
            ["pixel_size"] = scope.PixelNm,
            ["rotation_angle"] = scope.RotationDeg,
        };
        if (!p.LensCorrection)
            calibration["lens_model"] = scope.LensModel;
        calibration["aperture_centroid"] = roi["aperture_centroid"]!.DeepClone();

        var acq = new JsonObject
        {
            ["acquisition_id"] = p.Id,
            ["montage_id"] = $"MONT-{number:D4}",
            ["specimen_id"] = specimenId,
            ["roi_id"] = roiId,
            ["acquisition_task_id"] = p.TaskId,
            ["hardware_settings"] = new JsonObject
            {
                ["scope_id"] = scope.Id,
                ["camera_model"] = scope.CameraModel,
                ["camera_serial"] = scope.CameraSerial,
                ["camera_bit_depth"] = scope.CameraBits,
                ["media_type"] = section["media_type"]!.GetValue<string>(),
            },
            ["acquisition_settings"] = acquisitionSettings,
            ["calibration_info"] = calibration,
            ["status"] = p.Status,
            ["tilt_angle"] = p.Tilt,
            ["lens_correction"] = p.LensCorrection,
            ["start_time"] = Fmt.Ts(p.Start),
        };
        if (p.End is { } end)
            acq["end_time"] = Fmt.Ts(end);
        acq["storage_locations"] = storage;
        acq["montage_set_name"] = p.MontageSetName;
        acq["sub_region"] = new JsonObject { ["x"] = 0, ["y"] = 0, ["w"] = plan.Cols, ["h"] = plan.Rows };
        if (p.Replaces is not null)
            acq["replaces_acquisition_id"] = p.Replaces;
        _acquisitions.Add(acq);

        AddTiles(p, plan, specimenId, imageBase);
    }

    // ---------------------------------------------------------------- tiles

    private void AddTiles(AcqPlan p, RoiPlan plan, string specimenId, string imageBase)
    {
        var rows = plan.Rows;
        var cols = plan.Cols;
        var scope = p.Scope;
        var maxValue = (1 << p.SavedBits) - 1;
        var scale = maxValue / 255.0;
        var valueDigits = p.SavedBits == 8 ? 2 : 1;
        var stepX = scope.TileW * scope.PixelNm * (1 - p.Overlap);
        var stepY = scope.TileH * scope.PixelNm * (1 - p.Overlap);
        var stepPxX = scope.TileW * (1 - p.Overlap);
        var stepPxY = scope.TileH * (1 - p.Overlap);
        var centre = _roiStageCentre[plan.RoiId];
        var x0 = Math.Round(centre.X - ((cols - 1) * stepX / 2));
        var y0 = Math.Round(centre.Y - ((rows - 1) * stepY / 2));
        var meanBase = _rng.Normal(128, 4);
        var stdBase = _rng.Normal(30, 2);
        var limit = p.TilesSoFar ?? (rows * cols);
        var centreIndex = (rows / 2 * cols) + (cols / 2);

        var present = new SortedSet<int>();
        for (var index = 0; index < limit; index++)
        {
            if (!p.Missing.Contains((index / cols, index % cols)))
                present.Add(index);
        }

        TileFault FaultAt(int index) => p.Faults.TryGetValue((index / cols, index % cols), out var f) ? f : TileFault.None;

        var stats = new Dictionary<int, TileStats>();
        foreach (var index in present)
        {
            var fault = FaultAt(index);
            TileStats s;
            switch (fault)
            {
                case TileFault.Frozen:
                    s = stats[index - 1];
                    break;
                case TileFault.Blurry:
                {
                    var mean = meanBase + _rng.Normal(0, 4);
                    s = new TileStats(_rng.Uniform(0.1, 0.25), mean - _rng.Uniform(40, 55), mean + _rng.Uniform(40, 55), mean,
                        stdBase * 0.45);
                    break;
                }

                case TileFault.Dark:
                    s = new TileStats(_rng.Uniform(0.01, 0.06), 0, Math.Round(_rng.Uniform(2, 6)), _rng.Uniform(0.4, 1.2),
                        _rng.Uniform(0.2, 0.8));
                    break;
                case TileFault.Saturated:
                    s = new TileStats(_rng.Uniform(0.03, 0.12), 255 - Math.Round(_rng.Uniform(3, 8)), 255, 255 - _rng.Uniform(0.3, 1.5),
                        _rng.Uniform(0.3, 1.0));
                    break;
                default:
                {
                    var mean = meanBase + _rng.Normal(0, 4);
                    s = new TileStats(_rng.Clamped(p.FocusMedian, 0.03, 0.6, 0.95), Math.Max(0, mean - _rng.Uniform(85, 105)),
                        Math.Min(255, mean + _rng.Uniform(90, 115)), mean, Math.Max(5, stdBase + _rng.Normal(0, 2)));
                    break;
                }
            }

            if (fault != TileFault.Frozen)
            {
                // Scale to the saved bit depth and round like the scope software reports them.
                s = new TileStats(Fmt.R(s.Focus, 4), Math.Round(s.Min * scale), Math.Min(maxValue, Math.Round(s.Max * scale)),
                    Fmt.R(s.Mean * scale, valueDigits), Fmt.R(s.Std * scale, valueDigits));
            }

            stats[index] = s;
        }

        (string Dir, int DRow, int DCol)[] directions = [("left", 0, -1), ("top", -1, 0), ("right", 0, 1), ("bottom", 1, 0)];
        foreach (var index in present)
        {
            var row = index / cols;
            var col = index % cols;
            var fault = FaultAt(index);
            var matcher = new JsonArray();
            var absent = new List<(string Dir, int Row, int Col)>();
            foreach (var (dir, dRow, dCol) in directions)
            {
                var nRow = row + dRow;
                var nCol = col + dCol;
                if (nRow < 0 || nRow >= rows || nCol < 0 || nCol >= cols)
                    continue;
                var nIndex = (nRow * cols) + nCol;
                if (!present.Contains(nIndex))
                {
                    if (nIndex < limit)
                        absent.Add((dir, nRow, nCol));
                    continue;
                }

                var forceInvalid = fault == TileFault.InvalidMatch && matcher.Count == 0;
                var position = p.LensCorrection && nIndex == centreIndex ? "center" : dir;
                matcher.Add((JsonNode)Match(dir, position, nRow, nCol, fault, FaultAt(nIndex), forceInvalid, scope, p.Overlap, stepPxX, stepPxY));
            }

            foreach (var (dir, nRow, nCol) in absent)
            {
                if (matcher.Count >= 2)
                    break;
                matcher.Add((JsonNode)Match(dir, dir, nRow, nCol, fault, TileFault.None, true, scope, p.Overlap, stepPxX, stepPxY));
            }

            var s = stats[index];
            var tileId = $"{p.Id}-r{row:D3}-c{col:D3}";
            _tiles.Add(new JsonObject
            {
                ["tile_id"] = tileId,
                ["acquisition_id"] = p.Id,
                ["roi_id"] = plan.RoiId,
                ["specimen_id"] = specimenId,
                ["raster_index"] = index,
                ["raster_position"] = Fmt.RowCol(row, col),
                ["stage_position"] = new JsonObject
                {
                    ["x"] = Math.Round(x0 + (col * stepX) + _rng.Normal(0, 12)),
                    ["y"] = Math.Round(y0 + (row * stepY) + _rng.Normal(0, 12)),
                },
                ["focus_score"] = s.Focus,
                ["min_value"] = s.Min,
                ["max_value"] = s.Max,
                ["mean_value"] = s.Mean,
                ["std_value"] = s.Std,
                ["image_path"] = $"{imageBase}/tiles/{tileId}.tif",
                ["matcher"] = matcher,
                ["supertile_id"] = $"{p.Id}-st-r{row / SupertileSize:D2}-c{col / SupertileSize:D2}",
                ["supertile_raster_position"] = Fmt.RowCol(row / SupertileSize, col / SupertileSize),
            });
        }
    }

    private JsonObject Match(string dir, string position, int nRow, int nCol, TileFault mine, TileFault theirs, bool forceInvalid,
        Scope scope, double overlap, double stepPxX, double stepPxY)
    {
        static bool Unusable(TileFault f) => f is TileFault.Dark or TileFault.Saturated;
        static bool Degraded(TileFault f) => f is TileFault.Blurry or TileFault.Frozen;
        var invalid = forceInvalid || Unusable(mine) || Unusable(theirs);
        var degraded = Degraded(mine) || Degraded(theirs);
        double quality, dX, dY, sd;
        if (invalid)
        {
            quality = _rng.Uniform(0.0, 0.08);
            dX = _rng.Uniform(-250, 250);
            dY = _rng.Uniform(-250, 250);
            sd = _rng.Uniform(8, 40);
        }
        else if (degraded)
        {
            quality = _rng.Uniform(0.2, 0.55);
            dX = _rng.Normal(0, 6);
            dY = _rng.Normal(0, 6);
            sd = _rng.Uniform(1.5, 4);
        }
        else
        {
            quality = _rng.Clamped(0.93, 0.025, 0.7, 0.995);
            dX = _rng.Normal(0, 1.2);
            dY = _rng.Normal(0, 1.2);
            sd = _rng.Uniform(0.15, 0.6);
        }

        var w = scope.TileW;
        var h = scope.TileH;
        var ovX = w * overlap;
        var ovY = h * overlap;
        var (offX, offY) = dir switch
        {
            "left" => (-stepPxX, 0.0),
            "right" => (stepPxX, 0.0),
            "top" => (0.0, -stepPxY),
            _ => (0.0, stepPxY),
        };
        var pX = new JsonArray();
        var pY = new JsonArray();
        var qX = new JsonArray();
        var qY = new JsonArray();
        for (var i = 0; i < 3; i++)
        {
            var x = dir switch
            {
                "left" => _rng.Uniform(0, ovX),
                "right" => _rng.Uniform(w - ovX, w),
                _ => _rng.Uniform(0.1 * w, 0.9 * w),
            };
            var y = dir switch
            {
                "top" => _rng.Uniform(0, ovY),
                "bottom" => _rng.Uniform(h - ovY, h),
                _ => _rng.Uniform(0.1 * h, 0.9 * h),
            };
            pX.Add((JsonNode)Fmt.R(x, 1));
            pY.Add((JsonNode)Fmt.R(y, 1));
            qX.Add((JsonNode)Fmt.R(x - offX + dX, 1));
            qY.Add((JsonNode)Fmt.R(y - offY + dY, 1));
        }

        return new JsonObject
        {
            ["row"] = nRow,
            ["col"] = nCol,
            ["dX"] = Fmt.R(dX, 2),
            ["dY"] = Fmt.R(dY, 2),
            ["dXsd"] = Fmt.R(sd * _rng.Uniform(0.8, 1.2), 3),
            ["dYsd"] = Fmt.R(sd * _rng.Uniform(0.8, 1.2), 3),
            ["distance"] = Fmt.R(Math.Sqrt((dX * dX) + (dY * dY)), 3),
            // decimal, so that tiny angles print as 0.00004 rather than 4E-05
            ["rotation"] = (decimal)Fmt.R(invalid ? _rng.Uniform(-0.05, 0.05) : _rng.Normal(0, 0.0004), 5),
            ["match_quality"] = Fmt.R(quality, 3),
            ["position"] = invalid ? "invalid" : position,
            ["pX"] = pX,
            ["pY"] = pY,
            ["qX"] = qX,
            ["qY"] = qY,
        };
    }
}

/// <summary>Reads the seed files back and checks the cross-document rules.</summary>
internal sealed class SeedChecker(string dir)
{
    private const long MaxTotalBytes = 6L * 1024 * 1024;

    private static readonly string[] _fileNames =
    [
        "01-Specimens.json", "02-Blocks.json", "03-CuttingSessions.json", "04-Substrates.json", "05-Sections.json",
        "06-ROIs.json", "07-AcquisitionTasks.json", "08-Acquisitions.json", "09-Tiles.json",
    ];

    private static readonly HashSet<string> _mediaTypes = new(StringComparer.Ordinal) { "tape", "wafer", "grid", "stick" };
    private static readonly HashSet<string> _substrateStatuses = new(StringComparer.Ordinal) { "new", "in_use", "full", "retired" };
    private static readonly HashSet<string> _qualities = new(StringComparer.Ordinal) { "good", "broken", "thin", "thick", "empty" };
    private static readonly HashSet<string> _taskTypes = new(StringComparer.Ordinal) { "standard_acquisition", "montage", "lens_correction" };

    private static readonly HashSet<string> _taskStatuses = new(StringComparer.Ordinal)
    {
        "Planned", "In Progress", "Completed", "Failed", "Aborted",
    };

    private static readonly HashSet<string> _acqStatuses = new(StringComparer.Ordinal)
    {
        "imaging", "acquired", "qc-pending", "qc-passed", "failed", "to be re-imaged", "aborted",
    };

    private static readonly HashSet<string> _positions = new(StringComparer.Ordinal) { "invalid", "center", "left", "top", "right", "bottom" };
    private static readonly HashSet<string> _locationTypes = new(StringComparer.Ordinal) { "local", "s3" };
    private static readonly string[] _statKeys = ["focus_score", "min_value", "max_value", "mean_value", "std_value"];
    private static readonly HashSet<string> _serverFields = new(StringComparer.Ordinal) { "created_at", "updated_at", "version", "etag" };

    private readonly List<string> _errors = [];
    private readonly Dictionary<string, JsonArray> _docs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _anomalies = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Run()
    {
        foreach (var name in _fileNames)
        {
            var path = Path.Combine(dir, name);
            if (!File.Exists(path))
            {
                Error($"{name}: file missing");
                continue;
            }

            try
            {
                if (JsonNode.Parse(File.ReadAllText(path)) is JsonArray array)
                    _docs[name] = array;
                else
                    Error($"{name}: not a JSON array");
            }
            catch (JsonException e)
            {
                Error($"{name}: invalid JSON: {e.Message}");
            }
        }

        if (_errors.Count > 0)
            return _errors;

        var total = _fileNames.Sum(n => new FileInfo(Path.Combine(dir, n)).Length);
        if (total > MaxTotalBytes)
            Error($"seed files total {total} bytes, over the {MaxTotalBytes} byte budget");

        foreach (var (name, array) in _docs)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is not JsonObject doc)
                {
                    Error($"{name}[{i}]: not an object");
                    continue;
                }

                foreach (var key in _serverFields)
                {
                    if (doc.ContainsKey(key))
                        Error($"{name}[{i}]: server-set field '{key}' present");
                }

                CheckNoNulls(doc, $"{name}[{i}]");
            }
        }

        var specimens = Index("01-Specimens.json", "specimen_id");
        var blocks = Index("02-Blocks.json", "block_id");
        var sessions = Index("03-CuttingSessions.json", "cutting_session_id");
        var substrates = Index("04-Substrates.json", "media_id");
        var sections = Index("05-Sections.json", "section_id");
        var rois = IntIndex("06-ROIs.json", "roi_id");
        var tasks = Index("07-AcquisitionTasks.json", "task_id");
        var acquisitions = Index("08-Acquisitions.json", "acquisition_id");

        CheckSpecimens(specimens);
        CheckBlocks(blocks, specimens);
        CheckSessions(sessions, specimens, blocks);
        CheckSubstrates(substrates);
        CheckSections(sections, sessions, substrates);
        CheckRois(rois, sections);
        CheckTasks(tasks, rois);
        CheckAcquisitions(acquisitions, tasks, rois);
        CheckTiles(acquisitions);
        return _errors;
    }

    public void PrintSummary()
    {
        Console.WriteLine("Seed files:");
        foreach (var name in _fileNames)
        {
            var path = Path.Combine(dir, name);
            var size = File.Exists(path) ? new FileInfo(path).Length : 0;
            var count = _docs.TryGetValue(name, out var array) ? array.Count : 0;
            Console.WriteLine($"  {name,-26} {count,6} documents {size,10:N0} bytes");
        }

        if (_anomalies.Count > 0)
        {
            Console.WriteLine("Deliberate QC anomalies found in tiles:");
            foreach (var (kind, count) in _anomalies.OrderBy(a => a.Key, StringComparer.Ordinal))
                Console.WriteLine($"  {kind,-40} {count,6}");
        }
    }

    // ---------------------------------------------------------------- helpers

    private void Error(string message) => _errors.Add(message);

    private void CheckNoNulls(JsonNode node, string where)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (value is null)
                        Error($"{where}.{key}: null value");
                    else
                        CheckNoNulls(value, $"{where}.{key}");
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is { } item)
                        CheckNoNulls(item, $"{where}[{i}]");
                    else
                        Error($"{where}[{i}]: null value");
                }

                break;
            default:
                break;
        }
    }

    private static JsonNode? Get(JsonNode? node, string key) => node is JsonObject o && o.TryGetPropertyValue(key, out var v) ? v : null;

    private static string? Str(JsonNode? node, string key) =>
        Get(node, key) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static double? Num(JsonNode? node, string key) =>
        Get(node, key) is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;

    private static int? Int(JsonNode? node, string key) =>
        Get(node, key) is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? i : null;

    private static bool? Bool(JsonNode? node, string key) =>
        Get(node, key) is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;

    private static JsonArray? Arr(JsonNode? node, string key) => Get(node, key) as JsonArray;

    private static JsonObject? Obj(JsonNode? node, string key) => Get(node, key) as JsonObject;

    private DateTime? Time(JsonNode? node, string key, string where, bool required)
    {
        var s = Str(node, key);
        if (s is null)
        {
            if (required || Get(node, key) is not null)
                Error($"{where}: '{key}' missing or not a string");
            return null;
        }

        if (s.Length != 20 || !DateTime.TryParseExact(s, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
        {
            Error($"{where}: '{key}' = '{s}' is not an ISO 8601 UTC timestamp");
            return null;
        }

        return t;
    }

    private string NeedStr(JsonNode? node, string key, string where)
    {
        var s = Str(node, key);
        if (string.IsNullOrEmpty(s))
        {
            Error($"{where}: '{key}' missing or not a non-empty string");
            return "";
        }

        return s;
    }

    private void Enum(JsonNode? node, string key, HashSet<string> allowed, string where)
    {
        var s = Str(node, key);
        if (s is null || !allowed.Contains(s))
            Error($"{where}: '{key}' = '{s}' is not one of [{string.Join(", ", allowed)}]");
    }

    private void Same(string? actual, string? expected, string what, string where)
    {
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
            Error($"{where}: {what} is '{actual}' but the chain says '{expected}'");
    }

    private Dictionary<string, JsonObject> Index(string file, string key)
    {
        var index = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var doc in _docs[file].OfType<JsonObject>())
        {
            var id = Str(doc, key);
            if (string.IsNullOrEmpty(id))
                Error($"{file}: document without string key '{key}'");
            else if (!index.TryAdd(id, doc))
                Error($"{file}: duplicate {key} '{id}'");
        }

        return index;
    }

    private Dictionary<int, JsonObject> IntIndex(string file, string key)
    {
        var index = new Dictionary<int, JsonObject>();
        foreach (var doc in _docs[file].OfType<JsonObject>())
        {
            var id = Int(doc, key);
            if (id is not { } value || value < 1)
                Error($"{file}: document without positive integer key '{key}'");
            else if (!index.TryAdd(value, doc))
                Error($"{file}: duplicate {key} {value}");
        }

        return index;
    }

    private void Point3(JsonNode? node, string where)
    {
        if (node is not JsonObject o || Num(o, "x") is null || Num(o, "y") is null || Num(o, "z") is null)
            Error($"{where}: expected an object {{x, y, z}} of numbers");
    }

    private void NumberList(JsonNode? node, int length, string where)
    {
        if (node is not JsonArray a || a.Count != length
            || a.Any(n => n is not JsonValue v || v.GetValueKind() != JsonValueKind.Number))
        {
            Error($"{where}: expected a list of {length} numbers");
        }
    }

    // ---------------------------------------------------------------- per collection

    private void CheckSpecimens(Dictionary<string, JsonObject> specimens)
    {
        foreach (var (id, s) in specimens)
        {
            var where = $"Specimen {id}";
            NeedStr(s, "description", where);
            var images = Arr(s, "specimen_images");
            if (images is null || images.Any(n => n is not JsonValue v || !v.TryGetValue<string>(out _)))
                Error($"{where}: specimen_images must be a list of strings");
            else if (images.Select(n => n!.GetValue<string>()).Distinct(StringComparer.Ordinal).Count() != images.Count)
                Error($"{where}: specimen_images are not unique");
            if (Obj(s, "functional_imaging_metadata") is null)
                Error($"{where}: functional_imaging_metadata must be an object");
        }
    }

    private void CheckBlocks(Dictionary<string, JsonObject> blocks, Dictionary<string, JsonObject> specimens)
    {
        foreach (var (id, b) in blocks)
        {
            var where = $"Block {id}";
            if (!specimens.ContainsKey(NeedStr(b, "specimen_id", where)))
                Error($"{where}: specimen_id does not exist");
            var ct = Obj(b, "microCT_info");
            if (ct is null || Num(ct, "voxel_size_um") is null)
                Error($"{where}: microCT_info.voxel_size_um missing");
            Time(ct, "scan_date", where + ".microCT_info", false);
        }
    }

    private void CheckSessions(Dictionary<string, JsonObject> sessions, Dictionary<string, JsonObject> specimens,
        Dictionary<string, JsonObject> blocks)
    {
        foreach (var (id, cs) in sessions)
        {
            var where = $"CuttingSession {id}";
            var specimenId = NeedStr(cs, "specimen_id", where);
            if (!specimens.ContainsKey(specimenId))
                Error($"{where}: specimen_id does not exist");
            if (blocks.TryGetValue(NeedStr(cs, "block_id", where), out var block))
                Same(specimenId, Str(block, "specimen_id"), "specimen_id", where);
            else
                Error($"{where}: block_id does not exist");
            var start = Time(cs, "start_time", where, true);
            var end = Time(cs, "end_time", where, true);
            if (start >= end)
                Error($"{where}: end_time is not after start_time");
            Enum(cs, "media_type", _mediaTypes, where);
            NeedStr(cs, "operator", where);
            NeedStr(cs, "sectioning_device", where);
            NeedStr(cs, "knife_id", where);
        }
    }

    private void CheckSubstrates(Dictionary<string, JsonObject> substrates)
    {
        var uids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, s) in substrates)
        {
            var where = $"Substrate {id}";
            Enum(s, "media_type", _mediaTypes, where);
            Enum(s, "status", _substrateStatuses, where);
            if (!uids.Add(NeedStr(s, "uid", where)))
                Error($"{where}: uid is not unique");
            foreach (var refName in new[] { "refpoint", "refpoint_world" })
            {
                foreach (var part in new[] { "origin", "end", "ref" })
                    Point3(Get(Obj(s, refName), part), $"{where}.{refName}.{part}");
            }

            var meta = Obj(s, "metadata");
            if (meta is null || Str(meta, "name") is null || Str(meta, "user") is null || Bool(meta, "calibrated") is null
                || Obj(meta, "extra") is null)
            {
                Error($"{where}: metadata needs name, user, created, calibrated, extra");
            }

            Time(meta, "created", where + ".metadata", true);

            var apertures = Arr(s, "apertures");
            if (apertures is null || apertures.Count == 0)
            {
                Error($"{where}: apertures missing");
                continue;
            }

            var indexes = new HashSet<int>();
            foreach (var a in apertures)
            {
                var uid = NeedStr(a, "uid", where + ".apertures");
                if (!uids.Add(uid))
                    Error($"{where}: aperture uid {uid} is not unique");
                if (Int(a, "index") is not { } i || !indexes.Add(i))
                    Error($"{where}: aperture index missing or duplicate");
                Point3(Get(a, "centroid"), $"{where}.apertures[{uid}].centroid");
                NeedStr(a, "shape", where);
                NeedStr(a, "shape_type", where);
                NeedStr(a, "status", where);
                if (Obj(a, "shape_params") is null)
                    Error($"{where}: aperture {uid} shape_params missing");
            }
        }
    }

    private void CheckSections(Dictionary<string, JsonObject> sections, Dictionary<string, JsonObject> sessions,
        Dictionary<string, JsonObject> substrates)
    {
        var numbers = new HashSet<(string, int)>();
        var occupied = new HashSet<(string, string)>();
        foreach (var (id, s) in sections)
        {
            var where = $"Section {id}";
            var csId = NeedStr(s, "cutting_session_id", where);
            if (!sessions.TryGetValue(csId, out var cs))
            {
                Error($"{where}: cutting_session_id does not exist");
                continue;
            }

            Same(Str(s, "block_id"), Str(cs, "block_id"), "block_id", where);
            Same(Str(s, "specimen_id"), Str(cs, "specimen_id"), "specimen_id", where);
            Same(Str(s, "media_type"), Str(cs, "media_type"), "media_type", where);
            if (Int(s, "section_number") is not { } number || number <= 0)
                Error($"{where}: section_number must be a positive integer");
            else if (!numbers.Add((csId, number)))
                Error($"{where}: section_number {number} repeats within {csId}");
            var t = Time(s, "timestamp", where, true);
            if (t < Time(cs, "start_time", where, true) || t > Time(cs, "end_time", where, true))
                Error($"{where}: timestamp outside its cutting session");

            var mediaId = NeedStr(s, "media_id", where);
            if (!substrates.TryGetValue(mediaId, out var substrate))
            {
                Error($"{where}: media_id does not exist");
                continue;
            }

            Same(Str(s, "media_type"), Str(substrate, "media_type"), "media_type (substrate)", where);
            var uid = NeedStr(s, "aperture_uid", where);
            var aperture = Arr(substrate, "apertures")?.FirstOrDefault(a => Str(a, "uid") == uid);
            if (aperture is null)
                Error($"{where}: aperture_uid not in {mediaId}'s apertures");
            else if (Int(aperture, "index") != Int(s, "aperture_index"))
                Error($"{where}: aperture_index does not match the aperture with that uid");
            if (!occupied.Add((mediaId, uid)))
                Error($"{where}: aperture {uid} on {mediaId} already holds another section");
            NeedStr(s, "barcode", where);
            if (Int(s, "relative_position") is null)
                Error($"{where}: relative_position must be an integer");
            if (Obj(s, "optical_image") is null)
                Error($"{where}: optical_image must be an object");

            var metrics = Obj(s, "section_metrics");
            Enum(metrics, "quality", _qualities, where + ".section_metrics");
            if (Num(metrics, "tissue_confidence_score") is not { } c || c < 0 || c > 1)
                Error($"{where}: tissue_confidence_score must be within 0..1");
            if (Num(metrics, "thickness_um") is not > 0)
                Error($"{where}: thickness_um must be positive");
            if (Num(metrics, "knife_quality") is null || Obj(metrics, "run_parameters") is null)
                Error($"{where}: section_metrics needs knife_quality and run_parameters");
        }
    }

    private void CheckRois(Dictionary<int, JsonObject> rois, Dictionary<string, JsonObject> sections)
    {
        foreach (var (id, r) in rois)
        {
            var where = $"ROI {id}";
            if (!sections.TryGetValue(NeedStr(r, "section_id", where), out var section))
            {
                Error($"{where}: section_id does not exist");
                continue;
            }

            Same(Str(r, "cutting_session_id"), Str(section, "cutting_session_id"), "cutting_session_id", where);
            Same(Str(r, "block_id"), Str(section, "block_id"), "block_id", where);
            Same(Str(r, "specimen_id"), Str(section, "specimen_id"), "specimen_id", where);
            if (Int(r, "section_number") != Int(section, "section_number"))
                Error($"{where}: section_number differs from its section's");
            if (Get(r, "parent_roi_id") is not null)
            {
                if (Int(r, "parent_roi_id") is not { } parentId || !rois.TryGetValue(parentId, out var parent))
                    Error($"{where}: parent_roi_id does not exist");
                else if (parentId == id || Str(parent, "section_id") != Str(r, "section_id"))
                    Error($"{where}: parent ROI must be another ROI on the same section");
            }

            NumberList(Get(r, "aperture_width_height"), 2, where + ".aperture_width_height");
            NumberList(Get(r, "aperture_centroid"), 2, where + ".aperture_centroid");
            NumberList(Get(r, "aperture_bounding_box"), 4, where + ".aperture_bounding_box");
            foreach (var cornersKey in new[] { "corners", "corners_perpendicular" })
            {
                foreach (var corner in new[] { "top_left", "top_right", "bottom_left", "bottom_right" })
                    NumberList(Get(Obj(r, cornersKey), corner), 2, $"{where}.{cornersKey}.{corner}");
            }

            if (Int(r, "barcode") is null)
                Error($"{where}: barcode must be an integer");
            if (Num(r, "optical_pixel_size") is not > 0 || Num(r, "scale_y") is not > 0)
                Error($"{where}: optical_pixel_size and scale_y must be positive");
            if (Arr(r, "rois") is null || Arr(r, "edits") is null || Bool(r, "auto_roi") is null || Obj(r, "roi_parameters") is null)
                Error($"{where}: rois, edits, auto_roi, roi_parameters required");
            foreach (var key in new[] { "aperture_image", "bucket", "roi_mask", "roi_mask_bucket", "rule" })
                NeedStr(r, key, where);
        }
    }

    private void CheckTasks(Dictionary<string, JsonObject> tasks, Dictionary<int, JsonObject> rois)
    {
        foreach (var (id, t) in tasks)
        {
            var where = $"AcquisitionTask {id}";
            if (Int(t, "roi_id") is not { } roiId || !rois.TryGetValue(roiId, out var roi))
            {
                Error($"{where}: roi_id does not exist");
                continue;
            }

            Same(Str(t, "specimen_id"), Str(roi, "specimen_id"), "specimen_id", where);
            Same(Str(t, "block_id"), Str(roi, "block_id"), "block_id", where);
            Enum(t, "task_type", _taskTypes, where);
            Enum(t, "status", _taskStatuses, where);
            var status = Str(t, "status");
            var started = Time(t, "started_at", where, false);
            var completed = Time(t, "completed_at", where, false);
            var (needStart, needEnd) = status switch
            {
                "Planned" => (false, false),
                "In Progress" => (true, false),
                _ => (true, true),
            };
            if (started.HasValue != needStart || completed.HasValue != needEnd)
                Error($"{where}: started_at/completed_at do not fit status '{status}'");
            if (started > completed)
                Error($"{where}: completed_at before started_at");
            if ((status == "Failed") != (Str(t, "error_message") is not null))
                Error($"{where}: error_message must be present exactly when the task Failed");
            if (Arr(t, "tags") is not { } tags || tags.Any(n => n is not JsonValue v || !v.TryGetValue<string>(out _)))
                Error($"{where}: tags must be a list of strings");
            if (Obj(t, "metadata") is null)
                Error($"{where}: metadata must be an object");
        }
    }

    private void CheckAcquisitions(Dictionary<string, JsonObject> acquisitions, Dictionary<string, JsonObject> tasks,
        Dictionary<int, JsonObject> rois)
    {
        var byTask = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        foreach (var (id, a) in acquisitions)
        {
            var where = $"Acquisition {id}";
            var taskId = NeedStr(a, "acquisition_task_id", where);
            if (!tasks.TryGetValue(taskId, out var task))
            {
                Error($"{where}: acquisition_task_id does not exist");
                continue;
            }

            if (!byTask.TryGetValue(taskId, out var list))
                byTask[taskId] = list = [];
            list.Add(a);
            if (Int(a, "roi_id") is not { } roiId || !rois.ContainsKey(roiId))
                Error($"{where}: roi_id does not exist");
            if (Int(a, "roi_id") != Int(task, "roi_id"))
                Error($"{where}: roi_id differs from its task's");
            Same(Str(a, "specimen_id"), Str(task, "specimen_id"), "specimen_id", where);
            Enum(a, "status", _acqStatuses, where);
            NeedStr(a, "montage_id", where);
            NeedStr(a, "montage_set_name", where);
            if (Num(a, "tilt_angle") is not { } tilt || tilt < -90 || tilt > 90)
                Error($"{where}: tilt_angle must be within -90..90");
            if (Bool(a, "lens_correction") is null)
                Error($"{where}: lens_correction must be a boolean");
            if ((Bool(a, "lens_correction") == true) != (Str(task, "task_type") == "lens_correction"))
                Error($"{where}: lens_correction flag disagrees with the task type");

            var start = Time(a, "start_time", where, true);
            var end = Time(a, "end_time", where, false);
            if ((Str(a, "status") == "imaging") == end.HasValue)
                Error($"{where}: end_time must be absent exactly while imaging");
            if (end <= start)
                Error($"{where}: end_time is not after start_time");
            if (start < Time(task, "started_at", where, false))
                Error($"{where}: starts before its task started");
            if (end > Time(task, "completed_at", where, false))
                Error($"{where}: ends after its task completed");

            var hw = Obj(a, "hardware_settings");
            if (hw is null || Str(hw, "scope_id") is null || Str(hw, "camera_model") is null || Str(hw, "camera_serial") is null
                || Int(hw, "camera_bit_depth") is null)
            {
                Error($"{where}: hardware_settings incomplete");
            }

            Enum(hw, "media_type", _mediaTypes, where + ".hardware_settings");
            var settings = Obj(a, "acquisition_settings");
            if (Int(settings, "saved_bit_depth") is not (8 or 16))
                Error($"{where}: saved_bit_depth must be 8 or 16");
            NumberList(Get(settings, "tile_size"), 2, where + ".tile_size");
            if (Num(settings, "tile_overlap") is not (>= 0 and < 1))
                Error($"{where}: tile_overlap must be a fraction in [0, 1)");
            if (Int(Obj(settings, "raster"), "rows") is not > 0 || Int(Obj(settings, "raster"), "cols") is not > 0)
                Error($"{where}: acquisition_settings.raster needs rows and cols");
            var calibration = Obj(a, "calibration_info");
            if (Num(calibration, "pixel_size") is not > 0 || Num(calibration, "rotation_angle") is null)
                Error($"{where}: calibration_info needs pixel_size and rotation_angle");

            var locations = Arr(a, "storage_locations");
            if (locations is null || locations.Count == 0)
            {
                Error($"{where}: storage_locations missing");
            }
            else
            {
                if (locations.Count(l => Bool(l, "is_current") == true) > 1)
                    Error($"{where}: more than one current storage location");
                foreach (var l in locations)
                {
                    Enum(l, "location_type", _locationTypes, where + ".storage_locations");
                    NeedStr(l, "base_path", where + ".storage_locations");
                    Time(l, "date_added", where + ".storage_locations", true);
                    if (Bool(l, "is_current") is null || Obj(l, "metadata") is null)
                        Error($"{where}: storage location needs is_current and metadata");
                }
            }

            if (Obj(a, "sub_region") is not { } sub || sub.Any(kv => kv.Value is not JsonValue v || !v.TryGetValue<int>(out _)))
                Error($"{where}: sub_region must be an object of integers");

            if (Get(a, "replaces_acquisition_id") is not null)
            {
                var replacedId = Str(a, "replaces_acquisition_id");
                if (replacedId is null || !acquisitions.TryGetValue(replacedId, out var replaced) || replacedId == id)
                {
                    Error($"{where}: replaces_acquisition_id does not name another acquisition");
                }
                else
                {
                    if (Int(replaced, "roi_id") != Int(a, "roi_id") || Str(replaced, "acquisition_task_id") != taskId)
                        Error($"{where}: replaced acquisition is for a different ROI or task");
                    if (Str(replaced, "status") != "to be re-imaged")
                        Error($"{where}: replaced acquisition should be 'to be re-imaged'");
                    if (start < Time(replaced, "end_time", where, false))
                        Error($"{where}: the replacement starts before the replaced acquisition ended");
                }
            }
        }

        foreach (var (taskId, task) in tasks)
        {
            var statuses = byTask.TryGetValue(taskId, out var list)
                ? list.Where(a => !acquisitions.Values.Any(r => Str(r, "replaces_acquisition_id") == Str(a, "acquisition_id")))
                    .Select(a => Str(a, "status") ?? "").ToList()
                : [];
            var ok = Str(task, "status") switch
            {
                "Planned" => statuses.Count == 0,
                "In Progress" => statuses.Any(s => s is "imaging" or "acquired" or "qc-pending"),
                "Completed" => statuses.Contains("qc-passed"),
                "Failed" => statuses.Count > 0 && statuses.All(s => s is "failed" or "aborted"),
                "Aborted" => statuses.All(s => s is "aborted" or "failed"),
                _ => false,
            };
            if (!ok)
                Error($"AcquisitionTask {taskId}: status '{Str(task, "status")}' does not fit its acquisitions [{string.Join(", ", statuses)}]");
        }
    }

    private void CheckTiles(Dictionary<string, JsonObject> acquisitions)
    {
        var tileIds = new HashSet<string>(StringComparer.Ordinal);
        var byAcq = new Dictionary<string, Dictionary<int, JsonObject>>(StringComparer.Ordinal);
        foreach (var t in _docs["09-Tiles.json"].OfType<JsonObject>())
        {
            var tileId = Str(t, "tile_id") ?? "";
            var where = $"Tile {tileId}";
            if (!tileIds.Add(tileId))
                Error($"{where}: tile_id missing or duplicate");
            var acqId = Str(t, "acquisition_id") ?? "";
            if (!acquisitions.TryGetValue(acqId, out var acq))
            {
                Error($"{where}: acquisition_id does not exist");
                continue;
            }

            if (Int(t, "roi_id") != Int(acq, "roi_id"))
                Error($"{where}: roi_id differs from its acquisition's");
            Same(Str(t, "specimen_id"), Str(acq, "specimen_id"), "specimen_id", where);
            var settings = Obj(acq, "acquisition_settings");
            var rows = Int(Obj(settings, "raster"), "rows") ?? 0;
            var cols = Int(Obj(settings, "raster"), "cols") ?? 0;
            var maxValue = (1 << (Int(settings, "saved_bit_depth") ?? 8)) - 1;
            var row = Int(Obj(t, "raster_position"), "row");
            var col = Int(Obj(t, "raster_position"), "col");
            var index = Int(t, "raster_index");
            if (row is not { } r || col is not { } c || r < 0 || r >= rows || c < 0 || c >= cols || index != (r * cols) + c)
            {
                Error($"{where}: raster_position/raster_index inconsistent with the {rows}x{cols} raster");
                continue;
            }

            if (!byAcq.TryGetValue(acqId, out var tiles))
                byAcq[acqId] = tiles = [];
            if (!tiles.TryAdd(index.Value, t))
                Error($"{where}: raster_index {index} repeats within {acqId}");

            var min = Num(t, "min_value");
            var max = Num(t, "max_value");
            var mean = Num(t, "mean_value");
            var std = Num(t, "std_value");
            if (min is null || max is null || mean is null || std is null)
                Error($"{where}: min/max/mean/std values missing");
            else if (!(min <= mean && mean <= max) || min < 0 || max > maxValue || std < 0)
                Error($"{where}: needs 0 <= min <= mean <= max <= {maxValue} and std >= 0");
            if (Num(t, "focus_score") is not (>= 0 and <= 1))
                Error($"{where}: focus_score must be within 0..1");
            if (Num(Obj(t, "stage_position"), "x") is null || Num(Obj(t, "stage_position"), "y") is null)
                Error($"{where}: stage_position needs x and y");
            NeedStr(t, "image_path", where);
            NeedStr(t, "supertile_id", where);
            if (Int(Obj(t, "supertile_raster_position"), "row") is null || Int(Obj(t, "supertile_raster_position"), "col") is null)
                Error($"{where}: supertile_raster_position needs row and col");

            var matcher = Arr(t, "matcher");
            if (matcher is null || matcher.Count is < 2 or > 4)
            {
                Error($"{where}: matcher must hold 2..4 entries");
                continue;
            }

            foreach (var m in matcher)
            {
                Enum(m, "position", _positions, where + ".matcher");
                if (Num(m, "match_quality") is not (>= 0 and <= 1))
                    Error($"{where}: match_quality must be within 0..1");
                foreach (var key in new[] { "row", "col" })
                {
                    if (Int(m, key) is null)
                        Error($"{where}: matcher {key} must be an integer");
                }

                foreach (var key in new[] { "dX", "dY", "dXsd", "dYsd", "distance", "rotation" })
                {
                    if (Num(m, key) is null)
                        Error($"{where}: matcher {key} must be a number");
                }

                foreach (var key in new[] { "pX", "pY", "qX", "qY" })
                    NumberList(Get(m, key), 3, $"{where}.matcher.{key}");
                if (Str(m, "position") == "invalid")
                    Count("matcher entries with position 'invalid'");
            }
        }

        foreach (var (acqId, tiles) in byAcq)
        {
            var acq = acquisitions[acqId];
            var settings = Obj(acq, "acquisition_settings");
            var rows = Int(Obj(settings, "raster"), "rows") ?? 0;
            var cols = Int(Obj(settings, "raster"), "cols") ?? 0;
            var maxValue = (1 << (Int(settings, "saved_bit_depth") ?? 8)) - 1;
            var tileSize = Arr(settings, "tile_size");
            var pixel = Num(Obj(acq, "calibration_info"), "pixel_size") ?? 0;
            var overlap = Num(settings, "tile_overlap") ?? 0;
            var stepX = (tileSize?[0]?.GetValue<double>() ?? 0) * pixel * (1 - overlap);
            var stepY = (tileSize?[1]?.GetValue<double>() ?? 0) * pixel * (1 - overlap);

            // Stage positions must follow the raster: same origin for every tile within a small tolerance.
            // (tiles were admitted above only with a valid raster_position)
            var placed = tiles.Values.Where(t => Num(Obj(t, "stage_position"), "x") is not null && Num(Obj(t, "stage_position"), "y") is not null).ToList();
            var originsX = placed.Select(t => Num(Obj(t, "stage_position"), "x")!.Value - (Int(Obj(t, "raster_position"), "col")!.Value * stepX)).Order().ToList();
            var originsY = placed.Select(t => Num(Obj(t, "stage_position"), "y")!.Value - (Int(Obj(t, "raster_position"), "row")!.Value * stepY)).Order().ToList();
            if (placed.Count > 0)
            {
                var medianX = originsX[originsX.Count / 2];
                var medianY = originsY[originsY.Count / 2];
                foreach (var t in placed)
                {
                    var x = Num(Obj(t, "stage_position"), "x")!.Value - (Int(Obj(t, "raster_position"), "col")!.Value * stepX);
                    var y = Num(Obj(t, "stage_position"), "y")!.Value - (Int(Obj(t, "raster_position"), "row")!.Value * stepY);
                    if (Math.Abs(x - medianX) > 100 || Math.Abs(y - medianY) > 100)
                        Error($"Tile {Str(t, "tile_id")}: stage_position does not follow the raster and the tile step");
                }
            }

            var status = Str(acq, "status");
            var partial = status is "imaging" or "aborted";
            var expected = rows * cols;
            if (tiles.Count > expected)
                Error($"Acquisition {acqId}: more tiles than the raster holds");
            var highest = tiles.Keys.Max();
            var missing = Enumerable.Range(0, partial ? highest + 1 : expected).Count(i => !tiles.ContainsKey(i));
            if (missing > 0)
                Count("missing raster positions", missing);
            if (missing > 0 && status == "qc-passed")
                Error($"Acquisition {acqId}: qc-passed but {missing} raster positions are missing");

            var focusMedian = tiles.Values.Select(t => Num(t, "focus_score") ?? 0).Order().ElementAt(tiles.Count / 2);
            foreach (var (index, t) in tiles)
            {
                var focus = Num(t, "focus_score") ?? 0;
                var max = Num(t, "max_value") ?? 0;
                var min = Num(t, "min_value") ?? 0;
                if (max < 0.05 * maxValue)
                    Count("dark tiles");
                else if (min > 0.9 * maxValue)
                    Count("saturated tiles");
                else if (focus < 0.5 * focusMedian)
                    Count("blurry tiles");
                if (tiles.TryGetValue(index - 1, out var previous) && _statKeys.All(k => Num(t, k) == Num(previous, k)))
                    Count("frozen frames");
            }

            if (status == "qc-passed" && tiles.Values.Any(t => (Num(t, "focus_score") ?? 0) < 0.5 * focusMedian))
                Error($"Acquisition {acqId}: qc-passed but has blurry tiles");
        }

        foreach (var (acqId, acq) in acquisitions)
        {
            if (!byAcq.ContainsKey(acqId) && Str(acq, "status") != "imaging")
                Error($"Acquisition {acqId}: no tiles");
        }

        foreach (var kind in new[] { "missing raster positions", "dark tiles", "saturated tiles", "blurry tiles", "frozen frames", "matcher entries with position 'invalid'" })
        {
            if (!_anomalies.ContainsKey(kind))
                Error($"Tiles: the demo should contain {kind}, found none");
        }
    }

    private void Count(string kind, int n = 1) => _anomalies[kind] = _anomalies.GetValueOrDefault(kind) + n;
}
