import Foundation
import Imaging
import Shared

/// Turns image bytes into a stored caption: cache lookup, decode check, engine, cleaning, cache store.
/// Shared by `POST /v1/captions` and the job worker.
public final class Captioner: Sendable {
    /// The engine that writes captions.
    public let engine: any CaptionEngine
    /// The database holding the caption cache.
    public let store: CaptionStore
    private let decoder: ImageDecoder
    private let cleaner: CaptionCleaner
    private let recorder: CaptionerMetrics
    private let exclusion = KeyedExclusion()

    /// Creates a captioner over `engine` and `store`.
    init(
        engine: any CaptionEngine, store: CaptionStore, decoder: ImageDecoder,
        cleaner: CaptionCleaner = CaptionCleaner(), recorder: CaptionerMetrics
    ) {
        self.engine = engine
        self.store = store
        self.decoder = decoder
        self.cleaner = cleaner
        self.recorder = recorder
    }

    /// The cache key for `input`: the image's SHA-256, joined with the sidecar text for engines that read it.
    func contentKey(for input: CaptionInput, sha256: String) -> String {
        guard engine.readsSidecar, let sidecar = input.sidecarText else {
            return sha256
        }
        return SHA256.hex(Array("\(sha256)\nsidecar:\(sidecar)".utf8))
    }

    /// The caption for `input`, from the cache when this content was captioned before by the same model.
    /// - Returns: the record (its `ms` is this call's duration) and the cache key it is stored under.
    /// - Throws: `ServiceError`: 400 `empty_image`, 415 `unsupported_image_format`, 422 `truncated_image`,
    ///   `corrupt_image`, `image_too_large` or `no_caption`, or what the engine throws.
    public func caption(_ input: CaptionInput) throws -> (record: CaptionRecord, contentKey: String) {
        let started = DispatchTime.now()
        guard !input.image.isEmpty else {
            throw ServiceError.badRequest("empty_image", "the request body is empty; send the image bytes")
        }
        let sha256 = SHA256.hex(input.image)
        let key = contentKey(for: input, sha256: sha256)
        return try exclusion.run(key) {
            (try cachedOrNewCaption(input, sha256: sha256, contentKey: key, started: started), key)
        }
    }

    private func cachedOrNewCaption(
        _ input: CaptionInput, sha256: String, contentKey key: String, started: DispatchTime
    ) throws -> CaptionRecord {
        if var cached = try store.cachedCaption(contentKey: key, engine: engine.name, model: engine.modelDescription) {
            recorder.cacheHit(engine: engine.name)
            cached.sha256 = sha256
            cached.ms = Self.milliseconds(since: started)
            return cached
        }

        do {
            _ = try decoder.decode(input.image)
        } catch {
            throw Self.serviceError(for: error)
        }
        let made = try engine.caption(input)
        var record = CaptionRecord(
            caption: cleaner.clean(made.rawText), rawCaption: made.rawText, tokens: made.tokens, engine: engine.name,
            model: engine.modelDescription, ms: Self.milliseconds(since: started), sha256: sha256, cached: false)
        guard !record.caption.isEmpty else {
            throw ServiceError.unprocessable("no_caption", "the engine produced an empty caption")
        }
        try store.storeCaption(record, contentKey: key)
        recorder.captionMade(engine: engine.name)
        record.ms = Self.milliseconds(since: started)
        return record
    }

    /// The HTTP-facing error for a decoding failure.
    static func serviceError(for error: ImageDecodingError) -> ServiceError {
        switch error.kind {
        case .empty: return .badRequest(error.code, error.message)
        case .unsupportedFormat: return .unsupportedMediaType(error.code, error.message)
        case .truncated, .corrupt, .tooLarge: return .unprocessable(error.code, error.message)
        }
    }

    private static func milliseconds(since start: DispatchTime) -> Double {
        let nanoseconds = DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds
        return (Double(nanoseconds) / 1_000).rounded() / 1_000
    }
}
