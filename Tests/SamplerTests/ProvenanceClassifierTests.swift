import Foundation
import Imaging
import Testing

@testable import SamplerService

@Suite("Provenance classifier")
struct ProvenanceClassifierTests {
    typealias Support = SamplerTestSupport

    @Test(arguments: [
        ("ai_a1111_parameters.png", ProvenanceVerdict.ai, "png:parameters (AUTOMATIC1111)"),
        ("ai_a1111_usercomment.jpg", .ai, "exif:UserComment (AUTOMATIC1111)"),
        ("ai_comfyui_prompt_workflow.png", .ai, "png:prompt+workflow (ComfyUI)"),
        ("ai_xmp_trainedAlgorithmicMedia.png", .ai, "xmp:DigitalSourceType=trainedAlgorithmicMedia"),
        ("ai_xmp_trainedAlgorithmicMedia.jpg", .ai, "xmp:DigitalSourceType=trainedAlgorithmicMedia"),
        (
            "ai_xmp_compositeWithTrainedAlgorithmicMedia.jpg", .ai,
            "xmp:DigitalSourceType=compositeWithTrainedAlgorithmicMedia"
        ),
        ("real_camera_exif.jpg", .real, "exif:Make="),
    ])
    func fixtureGivesItsExpectedVerdict(name: String, verdict: ProvenanceVerdict, evidence: String) throws {
        let result = try Support.classify(Support.fixtures.appendingPathComponent(name))
        #expect(result.verdict == verdict)
        #expect(result.evidence.first?.hasPrefix(evidence) == true, "\(result.evidence)")
    }

    @Test(arguments: [
        ("parameters_padded_end.png", "png:parameters (AUTOMATIC1111)"),
        ("parameters_padded_front.png", "png:parameters (unreadable)"),
        ("parameters_after_spent_budget.png", "png:parameters (unreadable)"),
    ])
    func parametersHiddenBehindTheInflationLimitsAreStillAI(name: String, evidence: String) throws {
        let url = Support.repositoryRoot.appendingPathComponent("Tests/Fixtures/metadata/\(name)")
        let result = try Support.classify(url)
        #expect(result.verdict == .ai)
        #expect(result.evidence == [evidence])
    }

    @Test func anUnreadableCommentIsNoEvidence() {
        var metadata = ImageMetadata(format: .png)
        metadata.pngText = [PNGTextChunk(keyword: "Comment", text: "", kind: .zTXt, isComplete: false)]
        #expect(ProvenanceClassifier.classify(metadata).verdict == .unknown)
        metadata.pngText = [PNGTextChunk(keyword: "workflow", text: "{\"no", kind: .zTXt, isComplete: false)]
        #expect(ProvenanceClassifier.classify(metadata).evidence == ["png:workflow (unreadable)"])
    }

    /// Every demo image's verdict equals `expected_step1` in `demo/manifest.csv`. Plain values are
    /// compared as they are; a sentence is compared by its first word (for
    /// `edge_03_a1111_stealth_alpha.png`, "ai (only with stealth-pnginfo alpha-LSB decoder ...)": the
    /// classifier reads the parameters hidden in its alpha channel's low bits).
    @Test func everyDemoImageMatchesTheManifest() throws {
        let text = try String(contentsOf: Support.demo.appendingPathComponent("manifest.csv"), encoding: .utf8)
        let rows = CSVParser.rows(text)
        let header = try #require(rows.first)
        let fileColumn = try #require(header.firstIndex(of: "file"))
        let expectedColumn = try #require(header.firstIndex(of: "expected_step1"))
        #expect(rows.count == 63)

        for row in rows.dropFirst() {
            let file = row[fileColumn]
            let expected = row[expectedColumn]
            let result = try Support.classify(Support.demo.appendingPathComponent("images/\(file)"))
            if let plain = ProvenanceVerdict(rawValue: expected) {
                #expect(result.verdict == plain, "\(file): \(result.evidence)")
            } else {
                let firstWord = String(expected.prefix { $0.isLetter })
                #expect(result.verdict.rawValue == firstWord, "\(file): \(result.evidence)")
            }
        }
    }

    @Test(arguments: [
        ("ai_01_a1111_png.png", "png:parameters (AUTOMATIC1111)"),
        ("ai_02_a1111_jpg.jpg", "exif:UserComment (AUTOMATIC1111)"),
        ("ai_03_comfyui.png", "png:prompt+workflow (ComfyUI)"),
        ("ai_04_xmp_png.png", "xmp:DigitalSourceType=trainedAlgorithmicMedia"),
        ("ai_06_novelai.png", "png:Software=NovelAI"),
        ("ai_07_invokeai.png", "png:invokeai_metadata (InvokeAI)"),
        ("ai_08_fooocus.png", "png:parameters (Fooocus)"),
        ("edge_02_camera_exif_plus_composite_ai.jpg", "xmp:DigitalSourceType=compositeWithTrainedAlgorithmicMedia"),
        ("edge_03_a1111_stealth_alpha.png", "stealth_pnginfo:alpha_compressed (AUTOMATIC1111)"),
        ("real_xmponly_01.png", "xmp:tiff:Make=PENTAX Corporation"),
        ("real_exif_01.jpg", "exif:Make=Canon"),
    ])
    func demoEvidenceNamesTheSignal(name: String, evidence: String) throws {
        let result = try Support.classify(Support.demo.appendingPathComponent("images/\(name)"))
        #expect(result.evidence.first == evidence, "\(result.evidence)")
    }

    @Test func aiMarkerWinsOverCameraData() throws {
        let result = try Support.classify(
            Support.demo.appendingPathComponent("images/edge_02_camera_exif_plus_composite_ai.jpg"))
        #expect(result.verdict == .ai)
        #expect(result.evidence.contains("exif:Make=PENTAX Corporation"))
    }

    @Test func recognisesGeneratorTextShapes() {
        let a1111 = "a cat\nNegative prompt: dog\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x512"
        #expect(GeneratorSignature.generator(inSettingsText: a1111) == "AUTOMATIC1111")
        #expect(GeneratorSignature.generator(inSettingsText: a1111 + ", Version: f2.0.1v1.10.1") == "Forge")
        #expect(GeneratorSignature.generator(inSettingsText: #"{"uc": "x", "steps": 28}"#) == "NovelAI")
        #expect(GeneratorSignature.generator(inSettingsText: #"{"1": {"class_type": "KSampler"}}"#) == "ComfyUI")
        #expect(GeneratorSignature.generator(inSettingsText: "Steps: take a walk") == nil)
        #expect(GeneratorSignature.generator(inSettingsText: "a photo of my holiday") == nil)
        #expect(GeneratorSignature.generator(inSoftware: "Adobe Photoshop 25.0 (Generative Fill)") != nil)
        #expect(GeneratorSignature.generator(inSoftware: "GIMP 2.10.34") == nil)
    }

    @Test func otherMarkersFromBuiltMetadata() {
        var metadata = ImageMetadata(format: .png)
        metadata.pngText = [PNGTextChunk(keyword: "Dream", text: "\"a cat\" -s 50 -S 42", kind: .tEXt)]
        #expect(ProvenanceClassifier.classify(metadata).evidence == ["png:Dream (InvokeAI)"])

        metadata = ImageMetadata(format: .jpeg)
        metadata.exif.software = "NovelAI"
        metadata.exif.make = "Canon"
        #expect(ProvenanceClassifier.classify(metadata).evidence.first == "exif:Software=NovelAI")

        metadata = ImageMetadata(format: .jpeg)
        metadata.c2paSources = ["jpeg:APP11"]
        #expect(
            ProvenanceClassifier.classify(metadata)
                == ProvenanceResult(verdict: .unknown, evidence: ["c2pa:manifest (unreadable)"]))
        metadata.c2paManifestParsed = true
        metadata.c2paDigitalSourceTypes = ["humanEdits"]
        #expect(
            ProvenanceClassifier.classify(metadata)
                == ProvenanceResult(verdict: .unknown, evidence: ["c2pa:digitalSourceType=humanEdits (not deciding)"]))
        metadata.c2paDigitalSourceTypes = ["algorithmicMedia", "compositeSynthetic"]
        #expect(
            ProvenanceClassifier.classify(metadata).evidence == [
                "c2pa:digitalSourceType=algorithmicMedia", "c2pa:digitalSourceType=compositeSynthetic",
            ])
        metadata.c2paDigitalSourceTypes = ["compositeCapture"]
        metadata.exif.make = "Canon"
        #expect(
            ProvenanceClassifier.classify(metadata)
                == ProvenanceResult(
                    verdict: .real, evidence: ["exif:Make=Canon", "c2pa:digitalSourceType=compositeCapture"]))

        metadata = ImageMetadata(format: .jpeg)
        metadata.exif.dateTimeOriginal = "2020:01:01 00:00:00"
        #expect(ProvenanceClassifier.classify(metadata).verdict == .unknown)
        metadata.exif.exposureTime = 1.0 / 125
        #expect(
            ProvenanceClassifier.classify(metadata).evidence == [
                "exif:DateTimeOriginal=2020:01:01 00:00:00", "exif:ExposureTime=1/125",
            ])
        #expect(ProvenanceClassifier.classify(nil).evidence == ["metadata:unsupported_format"])
    }

    @Test(arguments: [
        ("rgb_plain.png", ProvenanceVerdict.ai, ["stealth_pnginfo:rgb (AUTOMATIC1111)"]),
        ("rgb_compressed.png", .ai, ["stealth_pnginfo:rgb_compressed (AUTOMATIC1111)"]),
        ("alpha_compressed.png", .ai, ["stealth_pnginfo:alpha_compressed (AUTOMATIC1111)"]),
        ("alpha_compressed_interlaced.png", .ai, ["stealth_pnginfo:alpha_compressed (AUTOMATIC1111)"]),
        ("alpha_plain_tall.png", .ai, ["stealth_pnginfo:alpha (AUTOMATIC1111)"]),
        ("alpha_plain_tall.webp", .ai, ["stealth_pnginfo:alpha (AUTOMATIC1111)"]),
        // The text chunk is an AI marker already, so the pixels are not decoded.
        ("parameters_chunk_and_rgb_plain.png", .ai, ["png:parameters (AUTOMATIC1111)"]),
        // A signature with a payload that cannot be read still names a generator tool as the writer.
        ("bogus_length.png", .ai, ["stealth_signature:stealth_pngcomp (payload unreadable)"]),
        ("truncated_payload.png", .ai, ["stealth_signature:stealth_pnginfo (payload unreadable)"]),
        ("gzip_bomb.png", .ai, ["stealth_signature:stealth_rgbcomp (payload unreadable)"]),
        ("invalid_gzip.png", .ai, ["stealth_signature:stealth_pngcomp (payload unreadable)"]),
        ("random_lsb.png", .unknown, []),
        ("smaller_than_signature.png", .unknown, []),
    ])
    func stealthFixtureGivesItsVerdict(name: String, verdict: ProvenanceVerdict, evidence: [String]) throws {
        let bytes = try Data(contentsOf: Support.stealthFixtures.appendingPathComponent(name))
        let result = ProvenanceClassifier.classify(fileBytes: [UInt8](bytes))
        #expect(result.verdict == verdict && result.evidence == evidence)
        // An unreadable payload is also reported as a warning; a readable one, or none, is not.
        let unreadable = evidence.contains { $0.hasSuffix("(payload unreadable)") }
        #expect(result.warnings.count == (unreadable ? 1 : 0), "\(result.warnings)")
        #expect(result.warnings.allSatisfy { $0.hasPrefix("stealth: ") })
    }

    @Test(arguments: [
        ("trainedAlgorithmicMedia.jpg", ProvenanceVerdict.ai, ["c2pa:digitalSourceType=trainedAlgorithmicMedia"]),
        ("digitalCapture.jpg", .real, ["c2pa:digitalSourceType=digitalCapture"]),
        ("computationalCapture.png", .real, ["c2pa:digitalSourceType=computationalCapture"]),
        (
            "compositeWithTrainedAlgorithmicMedia.png", .ai,
            ["c2pa:digitalSourceType=compositeWithTrainedAlgorithmicMedia"]
        ),
        ("trainedAlgorithmicMedia.webp", .ai, ["c2pa:digitalSourceType=trainedAlgorithmicMedia"]),
        ("no_source_type.jpg", .unknown, ["c2pa:manifest (no digital source type)"]),
        ("two_manifests_active_ai.jpg", .ai, ["c2pa:digitalSourceType=trainedAlgorithmicMedia"]),
        ("signed_trainedAlgorithmicMedia.jpg", .ai, ["c2pa:digitalSourceType=trainedAlgorithmicMedia"]),
        ("hostile_deep_nesting.png", .unknown, ["c2pa:manifest (unreadable)"]),
        (
            "hostile_cbor_string_2e63.png", .unknown,
            ["c2pa:manifest (no digital source type)", "c2pa:manifest (part unreadable)"]
        ),
    ])
    func c2paFixtureGivesItsVerdict(name: String, verdict: ProvenanceVerdict, evidence: [String]) throws {
        let result = try Support.classify(Support.c2paFixtures.appendingPathComponent(name))
        #expect(result.verdict == verdict)
        #expect(result.evidence == evidence)
    }

    @Test func aCaptureStoreBesideAnUnreadableStoreIsNoPhoto() throws {
        // A capture caBX, then an AI store cut in half: what the second declares is unknown.
        let capture = try Self.caBXBody("computationalCapture.png")
        let generated = try Self.caBXBody("compositeWithTrainedAlgorithmicMedia.png")
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        for body in [capture, Array(generated.prefix(generated.count / 2))] {
            png +=
                withUnsafeBytes(of: UInt32(body.count).bigEndian, Array.init) + Array("caBX".utf8) + body + [
                    0, 0, 0, 0,
                ]
        }
        png += [0, 0, 0, 0] + Array("IEND".utf8) + [0, 0, 0, 0]
        let result = ProvenanceClassifier.classify(fileBytes: png)
        #expect(result.verdict == .unknown)
        #expect(
            result.evidence == [
                "c2pa:digitalSourceType=computationalCapture (not deciding)", "c2pa:manifest (part unreadable)",
            ])
    }

    /// The body of a C2PA fixture's `caBX` chunk, which the fixture script puts right after `IHDR` (the
    /// signature and `IHDR` take 33 bytes; the chunk's length and type 8 more).
    static func caBXBody(_ name: String) throws -> [UInt8] {
        let png = [UInt8](try Data(contentsOf: Support.c2paFixtures.appendingPathComponent(name)))
        try #require(png.count > 41 && png[37..<41].elementsEqual("caBX".utf8))
        let length = png[33..<37].reduce(0) { $0 << 8 | Int($1) }
        return Array(png[41..<(41 + length)])
    }

    @Test func c2paWithoutASourceTypeLeavesTheVerdictToOtherSignals() throws {
        let url = Support.c2paFixtures.appendingPathComponent("no_source_type.jpg")
        let label = ManifestLabel(column: "label", value: "0", verdict: .real)
        #expect(
            try Support.classify(url, label: label)
                == ProvenanceResult(
                    verdict: .real, evidence: ["c2pa:manifest (no digital source type)", "manifest:label=0"]))
    }

    @Test func stealthTextNamesTheGeneratorWhenItIsSettings() {
        var metadata = ImageMetadata(format: .png)
        metadata.stealthSignature = "stealth_pnginfo"
        metadata.stealthParameters = StealthParameters(
            channel: .alpha, isCompressed: false, signature: "stealth_pnginfo", text: "hello from a holiday")
        #expect(
            ProvenanceClassifier.classify(metadata)
                == ProvenanceResult(
                    verdict: .ai, evidence: ["stealth_signature:stealth_pnginfo (text is not generator settings)"]))

        metadata.stealthParameters?.text = "a cat\nSteps: 20, Sampler: Euler a, Seed: 1, Version: f2.0.1v1.10.1"
        metadata.exif.make = "Canon"
        #expect(
            ProvenanceClassifier.classify(metadata).evidence == ["stealth_pnginfo:alpha (Forge)", "exif:Make=Canon"])
    }

    @Test func aPixelLimitKeepsStealthDecodingBounded() throws {
        let bytes = try Data(contentsOf: Support.stealthFixtures.appendingPathComponent("alpha_compressed.png"))
        let result = ProvenanceClassifier.classify(fileBytes: [UInt8](bytes), decoder: ImageDecoder(maxPixels: 100))
        #expect(result.verdict == .unknown)
        let notAnImage = ProvenanceClassifier.classify(fileBytes: Array("not an image".utf8))
        #expect(notAnImage.evidence == ["metadata:unsupported_format"])
    }

    @Test func manifestLabelDecidesOnlyWhenMetadataIsSilent() {
        let real = ManifestLabel(column: "label", value: "0", verdict: .real)
        let ai = ManifestLabel(column: "label", value: "1", verdict: .ai)
        let odd = ManifestLabel(column: "label", value: "maybe", verdict: nil)
        let silent = ImageMetadata(format: .jpeg)
        var camera = ImageMetadata(format: .jpeg)
        camera.exif.make = "Canon"
        var generated = ImageMetadata(format: .png)
        generated.xmp.digitalSourceType = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"

        #expect(
            ProvenanceClassifier.classify(silent, manifestLabel: real)
                == ProvenanceResult(verdict: .real, evidence: ["manifest:label=0"]))
        #expect(ProvenanceClassifier.classify(silent, manifestLabel: ai).verdict == .ai)
        #expect(
            ProvenanceClassifier.classify(silent, manifestLabel: odd)
                == ProvenanceResult(verdict: .unknown, evidence: ["manifest:label=maybe (unmapped)"]))
        #expect(
            ProvenanceClassifier.classify(generated, manifestLabel: real)
                == ProvenanceResult(
                    verdict: .ai,
                    evidence: [
                        "xmp:DigitalSourceType=trainedAlgorithmicMedia", "manifest:label=0 (overridden by metadata)",
                    ]))
        #expect(
            ProvenanceClassifier.classify(camera, manifestLabel: ai)
                == ProvenanceResult(
                    verdict: .real, evidence: ["exif:Make=Canon", "manifest:label=1 (overridden by metadata)"]))
        #expect(ProvenanceClassifier.classify(camera, manifestLabel: real).evidence.last == "manifest:label=0")
    }
}
