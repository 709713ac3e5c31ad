import Foundation
import Imaging
import Shared

/// The captioner service: captions single images over HTTP and runs batch jobs over sampler samples in a
/// background worker, with every caption cached in SQLite.
///
/// Call `start(metrics:)` after the HTTP server has started, to resume unfinished jobs and record
/// metrics, and `stop()` before exiting.
public final class CaptionerService: Sendable {
    /// The settings the service was created with.
    public let configuration: CaptionerConfiguration
    /// The captioning pipeline (engine, cache, cleaning).
    public let captioner: Captioner
    /// The database.
    public let store: CaptionStore
    let logger: Logger
    let recorder = CaptionerMetrics()
    private let worker: CaptionJobWorker
    private let workerBox: WorkerBox

    /// Creates the service with the engine the configuration names.
    /// - Throws: `ConfigurationError` when the engine cannot be built, or an error opening the database.
    public convenience init(
        configuration: CaptionerConfiguration, logger: Logger, registry: CaptionEngineRegistry = .standard
    ) throws {
        try self.init(configuration: configuration, logger: logger, engine: registry.makeEngine(for: configuration))
    }

    /// Creates the service around a given engine (tests, other front ends).
    /// - Throws: an error opening or migrating the database.
    public init(configuration: CaptionerConfiguration, logger: Logger, engine: any CaptionEngine) throws {
        self.configuration = configuration
        self.logger = logger
        self.store = try CaptionStore(path: configuration.databasePath)
        self.captioner = Captioner(
            engine: engine, store: store, decoder: ImageDecoder(maxPixels: configuration.maxPixels),
            recorder: recorder)
        let box = WorkerBox()
        self.workerBox = box
        self.worker = CaptionJobWorker { jobID, shouldStop in
            box.service?.runJob(jobID, shouldStop: shouldStop)
        }
        box.service = self
    }

    /// Starts the job worker, queues every job left queued or running by an earlier run, and records the
    /// service's metrics into `metrics` (the HTTP server's).
    public func start(metrics: Metrics? = nil) throws {
        if let metrics {
            recorder.attach(metrics)
        }
        worker.start()
        for jobID in try store.unfinishedJobIDs() {
            logger.info("resuming job", ["job": jobID])
            worker.enqueue(jobID)
        }
    }

    /// Stops the job worker after the image it is on; unfinished jobs resume at the next start.
    public func stop() {
        worker.stop()
    }

    /// Extra `/healthz` fields: the engine and its model.
    public func health() -> [String: String] {
        ["engine": captioner.engine.name, "model": captioner.engine.modelDescription]
    }

    /// Queues a job that captions every image of `sampleID` at `sampler`.
    /// - Throws: `ServiceError` 400 for a missing sample id or a sampler URL that is not http(s).
    public func submitJob(sampler: String, sampleID: String) throws -> CaptionJob {
        guard let url = URL(string: sampler), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            url.host?.isEmpty == false
        else {
            throw ServiceError.badRequest(
                "invalid_sampler", "\"sampler\" must be an http(s) URL such as http://127.0.0.1:8081")
        }
        guard !sampleID.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ServiceError.badRequest("invalid_sample_id", "\"sample_id\" must not be empty")
        }
        let job = try store.createJob(
            sampler: sampler, sampleID: sampleID, engine: captioner.engine.name,
            model: captioner.engine.modelDescription)
        worker.enqueue(job.id)
        return job
    }
}

/// Lets the worker's closure reach the service without a retain cycle.
private final class WorkerBox: @unchecked Sendable {
    // @unchecked: `service` is set once in the service's initialiser, before the worker thread can start.
    weak var service: CaptionerService?
}
