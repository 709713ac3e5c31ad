import Foundation
import Shared

/// Records the captioner's own metrics into the HTTP server's registry once one is attached; before that
/// (or in tests without a server) it counts nothing.
final class CaptionerMetrics: Sendable {
    private let sink = MetricsSink()

    /// Starts recording into `metrics`.
    func attach(_ metrics: Metrics) {
        sink.attach(metrics)
    }

    private var registry: Metrics? { sink.registry }

    /// One caption written by an engine.
    func captionMade(engine: String) {
        registry?.increment(
            "captioner_captions_total", help: "Captions written by the engine (cache misses).",
            labels: ["engine": engine])
    }

    /// One caption answered from the cache.
    func cacheHit(engine: String) {
        registry?.increment(
            "captioner_cache_hits_total", help: "Captions answered from the SQLite cache.", labels: ["engine": engine])
    }

    /// One job image finished, `done` or `failed`.
    func jobImage(_ status: CaptionJobImage.Status) {
        registry?.increment(
            "captioner_job_images_total", help: "Job images finished, by outcome.", labels: ["status": status.rawValue])
    }

    /// The progress of the job being worked on (one job runs at a time, so the labels stay few).
    func jobProgress(_ job: CaptionJob) {
        for (state, count) in [("total", job.total), ("done", job.done), ("failed", job.failed)] {
            registry?.setGauge(
                "captioner_current_job_images", help: "Images of the job being worked on, by state.",
                labels: ["state": state], to: Double(count))
        }
    }

    /// A job started, finished or failed.
    func jobEvent(_ event: String) {
        registry?.increment(
            "captioner_job_events_total", help: "Job starts, ends and failures.", labels: ["event": event])
    }
}
