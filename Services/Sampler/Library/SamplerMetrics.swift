import Shared

/// Records the sampler's own metrics into the HTTP server's registry once one is attached; before that
/// (or in tests without a server) it counts nothing.
final class SamplerMetrics: Sendable {
    private let sink = MetricsSink()

    /// Starts recording into `metrics`.
    func attach(_ metrics: Metrics) {
        sink.attach(metrics)
    }

    /// A scan ended: `done`, `failed`, or `interrupted` (marked by this process).
    func scanEnded(_ status: ScanStatus) {
        sink.registry?.increment(
            "sampler_scans_total", help: "Scans that ended, by outcome.", labels: ["status": status.rawValue])
    }

    /// The images of a finished scan, by verdict, and the files it left out.
    func scanned(_ scan: DatasetScan) {
        let counts = VerdictCounts(scan.images)
        for (verdict, count) in [("real", counts.real), ("ai", counts.ai), ("unknown", counts.unknown)] {
            sink.registry?.increment(
                "sampler_images_scanned_total", help: "Images judged by finished scans, by verdict.",
                labels: ["verdict": verdict], by: Double(count))
        }
        sink.registry?.increment(
            "sampler_files_skipped_total", help: "Image-named files finished scans left out (see their notes).",
            by: Double(scan.notes.count))
    }

    /// The scans this process is running now.
    func scansRunning(_ count: Int) {
        sink.registry?.setGauge(
            "sampler_scans_running", help: "Scans this process is running.", to: Double(count))
    }

    /// A sample was drawn.
    func sampleDrawn(images: Int) {
        sink.registry?.increment("sampler_samples_total", help: "Samples drawn.")
        sink.registry?.increment("sampler_sampled_images_total", help: "Images in drawn samples.", by: Double(images))
    }
}
