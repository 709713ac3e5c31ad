import Imaging

/// Decides whether an image is a real photo, AI-generated or unknown from its metadata and, when the
/// dataset has one, its manifest label.
///
/// Precedence, strongest first:
/// 1. Any AI marker in the metadata → `ai`, whatever else is present (camera EXIF survives AI edits).
/// 2. Camera evidence (Make/Model, or DateTimeOriginal with exposure data, in EXIF or XMP; or a C2PA
///    digital source type of a capture) → `real`.
/// 3. A manifest label that maps to real or ai → that verdict.
/// 4. Otherwise `unknown`.
///
/// A manifest label that disagrees with a metadata verdict is kept in the evidence, marked
/// `(overridden by metadata)`, so the conflict is visible. Generator parameters hidden in a PNG's or WebP's
/// pixels (`StealthParameters`) count as an AI marker. A C2PA manifest decides through the digital
/// source type its active manifest declares (AI media or a capture); one without such a type, or one that
/// could not be read, is kept as informative evidence that decides nothing.
public enum ProvenanceClassifier {
    /// The verdict for a file's bytes: its metadata, and when that holds no AI marker, the generator
    /// parameters hidden in its pixels (decoded under `decoder`'s limits, see
    /// `MetadataReader.readStealthParameters(_:into:decoder:)`).
    public static func classify(
        fileBytes bytes: [UInt8], manifestLabel: ManifestLabel? = nil, decoder: ImageDecoder = ImageDecoder()
    )
        -> ProvenanceResult
    {
        guard var metadata = try? MetadataReader.read(bytes) else {
            return classify(nil, manifestLabel: manifestLabel)
        }
        if aiMarkers(metadata).isEmpty {
            MetadataReader.readStealthParameters(bytes, into: &metadata, decoder: decoder)
        }
        var result = classify(metadata, manifestLabel: manifestLabel)
        result.warnings = metadata.warnings
        return result
    }

    /// The verdict for an image. `metadata` is nil when the file could not be read as an image.
    public static func classify(
        _ metadata: ImageMetadata?, manifestLabel: ManifestLabel? = nil
    )
        -> ProvenanceResult
    {
        let aiEvidence = metadata.map(aiMarkers) ?? []
        let cameraEvidence = metadata.map(cameraMarkers) ?? []
        let informative = metadata.map(informativeMarkers) ?? []

        let verdict: ProvenanceVerdict
        var evidence: [String]
        if !aiEvidence.isEmpty {
            verdict = .ai
            evidence = aiEvidence + cameraEvidence
        } else if !cameraEvidence.isEmpty {
            verdict = .real
            evidence = cameraEvidence
        } else if let label = manifestLabel?.verdict {
            verdict = label
            evidence = []
        } else {
            verdict = .unknown
            evidence = metadata == nil ? ["metadata:unsupported_format"] : []
        }
        evidence += informative

        if let label = manifestLabel {
            let decided = aiEvidence.isEmpty && cameraEvidence.isEmpty
            var item = "manifest:\(label.column)=\(label.value)"
            if label.isConflicting {
                item += " (rows disagree)"
            } else if label.verdict == nil {
                item += " (unmapped)"
            } else if !decided && label.verdict != verdict {
                item += " (overridden by metadata)"
            }
            evidence.append(item)
        }
        return ProvenanceResult(verdict: verdict, evidence: evidence)
    }

    /// Evidence that a generator made or edited the image.
    static func aiMarkers(_ metadata: ImageMetadata) -> [String] {
        var evidence = pngGeneratorMarkers(metadata)

        if let stealth = metadata.stealthParameters,
            let generator = GeneratorSignature.generator(inSettingsText: stealth.text)
        {
            evidence.append("\(stealth.source) (\(generator))")
        } else if let signature = metadata.stealthSignature {
            // Only generator tools write these signatures; a cropped or damaged stream still says who wrote it.
            let why = metadata.stealthParameters == nil ? "payload unreadable" : "text is not generator settings"
            evidence.append("stealth_signature:\(signature) (\(why))")
        }
        if let comment = metadata.exif.userComment,
            let generator = GeneratorSignature.generator(inSettingsText: comment)
        {
            evidence.append("exif:UserComment (\(generator))")
        }
        if let code = metadata.xmp.digitalSourceTypeCode,
            ["trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia"].contains(code)
        {
            evidence.append("xmp:DigitalSourceType=\(code)")
        }
        for code in metadata.c2paDigitalSourceTypes where c2paAITypes.contains(code) {
            evidence.append("c2pa:digitalSourceType=\(code)")
        }
        if let software = metadata.exif.software, GeneratorSignature.generator(inSoftware: software) != nil {
            evidence.append("exif:Software=\(software)")
        }
        if let tool = metadata.xmp.creatorTool, GeneratorSignature.generator(inSoftware: tool) != nil {
            evidence.append("xmp:CreatorTool=\(tool)")
        }
        return evidence
    }

    private static func pngGeneratorMarkers(_ metadata: ImageMetadata) -> [String] {
        var evidence: [String] = []
        let text = { (keyword: String) in metadata.pngTextValue(keyword) }

        if let parameters = text("parameters") {
            if text("fooocus_scheme") != nil {
                evidence.append("png:parameters (Fooocus)")
            } else if let generator = GeneratorSignature.generator(inSettingsText: parameters) {
                evidence.append("png:parameters (\(generator))")
            }
        }
        let prompt = text("prompt").flatMap(GeneratorSignature.jsonObject)
        let workflow = text("workflow").flatMap(GeneratorSignature.jsonObject)
        if prompt != nil && workflow != nil {
            evidence.append("png:prompt+workflow (ComfyUI)")
        } else if let prompt, GeneratorSignature.isComfyPrompt(prompt) {
            evidence.append("png:prompt (ComfyUI)")
        } else if workflow?["nodes"] != nil {
            evidence.append("png:workflow (ComfyUI)")
        }
        // Cameras and editors do not write these keywords; generators do. One whose compressed text could not
        // be read whole (padded past the inflation limit, damaged) is evidence on its own, as a stealth
        // signature with an unreadable payload is.
        for keyword in ["parameters", "prompt", "workflow"]
        where metadata.pngText.contains(where: { $0.keyword == keyword && !$0.isComplete })
            && !evidence.contains(where: { $0.hasPrefix("png:\(keyword)") || $0.contains("(ComfyUI)") })
        {
            evidence.append("png:\(keyword) (unreadable)")
        }
        for keyword in ["invokeai_metadata", "sd-metadata", "Dream"] where text(keyword) != nil {
            evidence.append("png:\(keyword) (InvokeAI)")
        }
        if let software = text("Software"), GeneratorSignature.generator(inSoftware: software) != nil {
            evidence.append("png:Software=\(software)")
        }
        if let comment = text("Comment"), let generator = GeneratorSignature.generator(inSettingsText: comment) {
            evidence.append("png:Comment (\(generator))")
        }
        return evidence
    }

    /// IPTC digital source types that mean a generator made the image or a part of it.
    static let c2paAITypes: Set<String> = [
        "trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia", "algorithmicMedia", "compositeSynthetic",
    ]
    /// IPTC digital source types that mean a camera captured the image.
    static let c2paCaptureTypes: Set<String> = ["digitalCapture", "computationalCapture", "compositeCapture"]

    /// Evidence that is reported but decides nothing: a C2PA manifest without a deciding source type.
    static func informativeMarkers(_ metadata: ImageMetadata) -> [String] {
        guard metadata.hasC2PA else { return [] }
        guard metadata.c2paManifestParsed else { return ["c2pa:manifest (unreadable)"] }
        // With part of the C2PA data unreadable, a capture type read elsewhere decides nothing either.
        let deciding = metadata.c2paUnreadableParts > 0 ? c2paAITypes : c2paAITypes.union(c2paCaptureTypes)
        let others = metadata.c2paDigitalSourceTypes.filter { !deciding.contains($0) }
        var markers: [String] = []
        if metadata.c2paDigitalSourceTypes.isEmpty { markers.append("c2pa:manifest (no digital source type)") }
        markers += others.map { "c2pa:digitalSourceType=\($0) (not deciding)" }
        if metadata.c2paUnreadableParts > 0 { markers.append("c2pa:manifest (part unreadable)") }
        return markers
    }

    /// Evidence that a camera took the picture.
    static func cameraMarkers(_ metadata: ImageMetadata) -> [String] {
        guard metadata.c2paUnreadableParts == 0 else { return exifCameraMarkers(metadata) }
        let capture = metadata.c2paDigitalSourceTypes.filter(c2paCaptureTypes.contains).map {
            "c2pa:digitalSourceType=\($0)"
        }
        return exifCameraMarkers(metadata) + capture
    }

    private static func exifCameraMarkers(_ metadata: ImageMetadata) -> [String] {
        let exif = metadata.exif
        let xmp = metadata.xmp
        // A zero exposure or aperture is a placeholder (a lens without contacts), not a measurement.
        let exposure =
            exif.exposureTime.flatMap { $0 > 0 ? $0 : nil }.map { "exif:ExposureTime=\(formatExposure($0))" }
            ?? xmp.exposureTime.map { "xmp:exif:ExposureTime=\($0)" }
        let aperture =
            exif.fNumber.flatMap { $0 > 0 ? $0 : nil }.map { "exif:FNumber=\(formatNumber($0))" }
            ?? xmp.fNumber.map { "xmp:exif:FNumber=\($0)" }
        let identity = [
            exif.make.map { "exif:Make=\($0)" } ?? xmp.make.map { "xmp:tiff:Make=\($0)" },
            exif.model.map { "exif:Model=\($0)" } ?? xmp.model.map { "xmp:tiff:Model=\($0)" },
        ].compactMap { $0 }
        let taken =
            exif.dateTimeOriginal.map { "exif:DateTimeOriginal=\($0)" }
            ?? xmp.dateTimeOriginal.map { "xmp:exif:DateTimeOriginal=\($0)" }

        let exposureData = [exposure, aperture].compactMap { $0 }
        guard !identity.isEmpty || (taken != nil && !exposureData.isEmpty) else { return [] }
        return identity + [taken].compactMap { $0 } + exposureData
    }

    private static func formatExposure(_ seconds: Double) -> String {
        guard seconds > 0, seconds < 1 else { return formatNumber(seconds) }
        let denominator = (1 / seconds).rounded()
        return abs(1 / denominator - seconds) < seconds * 0.01 ? "1/\(Int(denominator))" : formatNumber(seconds)
    }

    private static func formatNumber(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
    }
}
