import CaptionerService
import Foundation
import Shared
import Testing

/// Batch jobs against a stub sampler: progress, captions, failures, restart and resume.
@Suite(.serialized)
struct CaptionerJobTests {
    /// Two images with sidecars and one whose caption is in its PNG metadata.
    let files = ["real_exif_01.jpg", "real_exif_10.webp", "ai_06_novelai.png"]
    let sidecars: Set<String> = ["real_exif_01.jpg", "real_exif_10.webp"]

    @Test func aJobCaptionsEveryImageOfTheSample() throws {
        let sampler = try StubSampler(files: files, withSidecar: sidecars)
        let engine = CountingEngine()
        let captioner = try RunningCaptioner.fresh(engine: engine)
        defer { captioner.shutDown() }

        let created = try captioner.submitJob(sampler: sampler.url, sampleID: "s1")
        let job = try captioner.waitForJob(created.id)
        let list = try captioner.client.getJSON("/v1/jobs/\(created.id)/captions", as: JobCaptionList.self)

        #expect(created.status == .queued)
        #expect(job.status == .done)
        #expect(job.total == 3 && job.done == 3 && job.failed == 0)
        #expect(engine.callCount == 3)
        #expect(list.captions.map(\.imageID) == ["img-1", "img-2", "img-3"])
        #expect(list.captions.map(\.file) == files)
        #expect(list.captions[0].caption == (try CaptionerFixtures.demoSidecar("real_exif_01.jpg")))
        #expect(list.captions[1].caption == (try CaptionerFixtures.demoSidecar("real_exif_10.webp")))
        #expect(list.captions[2].caption == "soft flowing lavender and blue gradient waves")
        #expect(list.captions[2].sha256 == SHA256.hex(try CaptionerFixtures.demo("ai_06_novelai.png")))
        #expect(list.captions.allSatisfy { $0.engine == "embedded" })

        // A second job over the same sample takes every caption from the cache.
        let again = try captioner.submitJob(sampler: sampler.url, sampleID: "s1")
        #expect(try captioner.waitForJob(again.id).done == 3)
        #expect(engine.callCount == 3)
    }

    @Test func anImageWithoutCaptionFailsAloneAndTheJobFinishes() throws {
        let sampler = try StubSampler(
            files: ["real_exif_02.jpg", "real_exif_01.jpg"], withSidecar: ["real_exif_01.jpg"])
        let captioner = try RunningCaptioner.fresh()
        defer { captioner.shutDown() }

        let (job, list) = try captioner.runJob(on: sampler)

        #expect(job.status == .done)
        #expect(job.total == 2 && job.done == 1 && job.failed == 1)
        #expect(list.captions.map(\.imageID) == ["img-2"])
        #expect(list.failures.map(\.imageID) == ["img-1"] && list.failures.map(\.file) == ["real_exif_02.jpg"])
        #expect(list.failures.first?.error.hasPrefix("422 no_caption: ") == true, "\(list.failures)")
    }

    @Test func anImageReplacedSinceTheSampleFailsAsChanged() throws {
        // real_exif_01.jpg was sampled; an AI picture now stands at its path and has been scanned again.
        let sampler = try StubSampler(
            files: ["real_exif_01.jpg", "real_exif_10.webp"], withSidecar: ["real_exif_01.jpg", "real_exif_10.webp"],
            replaced: ["real_exif_01.jpg": "ai_06_novelai.png"])
        let engine = CountingEngine()
        let captioner = try RunningCaptioner.fresh(engine: engine)
        defer { captioner.shutDown() }

        let (job, list) = try captioner.runJob(on: sampler)

        #expect(job.status == .done && job.done == 1 && job.failed == 1)
        #expect(list.captions.map(\.file) == ["real_exif_10.webp"])
        #expect(list.failures.map(\.file) == ["real_exif_01.jpg"])
        #expect(list.failures.first?.error.hasPrefix("409 image_changed: ") == true, "\(list.failures)")
        #expect(engine.callCount == 1, "the replaced picture never reaches the engine")
    }

    @Test func anUnknownSampleFailsTheJob() throws {
        let sampler = try StubSampler(files: files, withSidecar: sidecars)
        let captioner = try RunningCaptioner.fresh()
        defer { captioner.shutDown() }

        let created = try captioner.submitJob(sampler: sampler.url, sampleID: "nope")
        let job = try captioner.waitForJob(created.id)

        #expect(job.status == .failed)
        #expect(job.error?.contains("sample_not_found") == true)
    }

    @Test func anUnreachableSamplerFailsTheJobWithItsName() throws {
        let captioner = try RunningCaptioner.fresh()
        defer { captioner.shutDown() }

        // Port 9 (discard) on loopback: nothing listens there in the test environment.
        let created = try captioner.submitJob(sampler: "http://127.0.0.1:9", sampleID: "s1")
        let job = try captioner.waitForJob(created.id)

        #expect(job.status == .failed)
        #expect(job.error?.contains("service sampler unreachable") == true)
    }

    @Test(arguments: [
        ("{\"sampler\": \"ftp://x\", \"sample_id\": \"s1\"}", 400, "invalid_sampler"),
        ("{\"sampler\": \"file:///etc/passwd\", \"sample_id\": \"s1\"}", 400, "invalid_sampler"),
        ("{\"sampler\": \"gopher://127.0.0.1:6379/_x\", \"sample_id\": \"s1\"}", 400, "invalid_sampler"),
        ("{\"sampler\": \"http://:8081\", \"sample_id\": \"s1\"}", 400, "invalid_sampler"),
        ("{\"sampler\": \"http://127.0.0.1:1\", \"sample_id\": \" \"}", 400, "invalid_sample_id"),
        ("{\"sampler\": 3}", 400, "malformed_json"),
    ])
    func badJobRequestsAreRefused(body: String, status: Int, code: String) throws {
        let captioner = try RunningCaptioner.fresh()
        defer { captioner.shutDown() }

        let error = #expect(throws: ServiceError.self) {
            try captioner.client.post("/v1/jobs", body: Array(body.utf8), contentType: "application/json")
        }

        #expect(error?.status == status)
        #expect(error?.code == code)
    }

    @Test func anUnknownJobIsNotFound() throws {
        let captioner = try RunningCaptioner.fresh()
        defer { captioner.shutDown() }

        for path in ["/v1/jobs/missing", "/v1/jobs/missing/captions"] {
            let error = #expect(throws: ServiceError.self) { try captioner.client.getBytes(path) }
            #expect(error?.status == 404 && error?.code == "job_not_found")
        }
    }

    @Test func aJobInterruptedMidWayResumesWithoutCaptioningAnythingTwice() throws {
        let sampler = try StubSampler(files: files, withSidecar: sidecars)
        let database = try CaptionerFixtures.temporaryDatabase()

        // The state a stopped service leaves behind: the job is running, its sample has been read, and
        // the first image is captioned and marked done.
        let earlierEngine = CountingEngine()
        let earlier = try stoppedService(database: database, engine: earlierEngine)
        let job = try earlier.store.createJob(
            sampler: sampler.url, sampleID: "s1", engine: earlierEngine.name, model: earlierEngine.modelDescription)
        let firstBytes = try CaptionerFixtures.demo(files[0])
        let images = try sampler.images.map {
            CaptionJobImage(imageID: $0.id, file: $0.file, sha256: SHA256.hex(try CaptionerFixtures.demo($0.file)))
        }
        try earlier.store.setImages(images, ofJob: job.id)
        let (record, key) = try earlier.captioner.caption(
            CaptionInput(image: firstBytes, sidecarText: sampler.images[0].sidecar))
        try earlier.store.finishImage(
            "img-1", ofJob: job.id, status: .done, sha256: record.sha256, contentKey: key, error: nil)
        try earlier.store.setStatus(.running, ofJob: job.id)

        let engine = CountingEngine()
        let captioner = try RunningCaptioner(databasePath: database, engine: engine)
        defer { captioner.shutDown() }
        let finished = try captioner.waitForJob(job.id)
        let list = try captioner.client.getJSON("/v1/jobs/\(job.id)/captions", as: JobCaptionList.self)

        #expect(earlierEngine.callCount == 1)
        #expect(engine.callCount == 2)
        #expect(!engine.captionedHashes.contains(SHA256.hex(firstBytes)))
        #expect(finished.status == .done && finished.done == 3 && finished.failed == 0)
        #expect(list.captions.count == 3)
    }

    @Test func aQueuedJobResumesAndSkipsContentCaptionedBefore() throws {
        let sampler = try StubSampler(files: files, withSidecar: sidecars)
        let database = try CaptionerFixtures.temporaryDatabase()

        // An earlier run captioned the third image on its own, then queued a job it never started.
        let earlierEngine = CountingEngine()
        let earlier = try stoppedService(database: database, engine: earlierEngine)
        let thirdBytes = try CaptionerFixtures.demo(files[2])
        _ = try earlier.captioner.caption(CaptionInput(image: thirdBytes))
        let job = try earlier.store.createJob(
            sampler: sampler.url, sampleID: "s1", engine: earlierEngine.name, model: earlierEngine.modelDescription)

        let engine = CountingEngine()
        let captioner = try RunningCaptioner(databasePath: database, engine: engine)
        defer { captioner.shutDown() }
        let finished = try captioner.waitForJob(job.id)

        #expect(finished.status == .done && finished.done == 3)
        #expect(engine.callCount == 2)
        #expect(!engine.captionedHashes.contains(SHA256.hex(thirdBytes)))
    }

    /// A service on `database` that was never started, standing in for an earlier run.
    private func stoppedService(database: String, engine: CountingEngine) throws -> CaptionerService {
        try CaptionerService(
            configuration: CaptionerConfiguration(port: 0, databasePath: database),
            logger: Logger(label: "test", level: .error), engine: engine)
    }
}
