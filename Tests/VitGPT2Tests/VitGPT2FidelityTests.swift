import Foundation
import Testing
import VitGPT2

/// The Swift engine against PyTorch on the tiny random model: preprocessing, encoder, decoder and generation.
@Suite struct VitGPT2FidelityTests {
    let model: VitGPT2Model
    let manifest: VitGPT2Fixtures.Manifest

    init() throws {
        model = try VitGPT2Model(directory: VitGPT2Fixtures.modelDirectory)
        manifest = try VitGPT2Fixtures.manifest()
    }

    @Test func pixelValuesMatchTheImageProcessor() throws {
        for image in manifest.images {
            let rgb = try VitGPT2Fixtures.bytes("\(image.name).rgb")
            let pixels = try model.pixelValues(rgb: rgb, width: image.width, height: image.height)
            let expected = try VitGPT2Fixtures.floats("\(image.name).pixels.f32")
            #expect(pixels.count == expected.count)
            let worst = zip(pixels, expected).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-6, "\(image.name): largest pixel difference \(worst)")
        }
    }

    @Test func encoderStatesMatchPyTorch() throws {
        for image in manifest.images {
            let pixels = try VitGPT2Fixtures.floats("\(image.name).pixels.f32")
            let states = try model.encode(pixelValues: pixels)
            let expected = try VitGPT2Fixtures.floats("\(image.name).encoder.f32")
            #expect(states.rows == 197 && states.columns == 32)
            let error = VitGPT2Fixtures.relativeError(states.values, expected)
            #expect(error <= 1e-4, "\(image.name): relative error \(error)")
        }
    }

    @Test func teacherForcedLogitsMatchPyTorch() throws {
        for image in manifest.images {
            let pixels = try VitGPT2Fixtures.floats("\(image.name).pixels.f32")
            let logits = try model.logits(tokens: image.teacherTokens, encoderStates: model.encode(pixelValues: pixels))
            let expected = try VitGPT2Fixtures.floats("\(image.name).logits.f32")
            let error = VitGPT2Fixtures.relativeError(logits.values, expected)
            #expect(error <= 1e-4, "\(image.name): relative error \(error)")
        }
    }

    @Test func generatedTokensEqualTransformers() throws {
        for image in manifest.images {
            let rgb = try VitGPT2Fixtures.bytes("\(image.name).rgb")
            for setting in manifest.generations {
                let options = GenerationOptions(numBeams: setting.numBeams, maxLength: setting.maxLength)
                let generation = try model.generate(
                    rgb: rgb, width: image.width, height: image.height,
                    options: options)
                let expected = try #require(image.generated[setting.name])
                #expect(generation.tokenIDs == expected.tokens, "\(image.name) \(setting.name)")
                #expect(generation.text == expected.text, "\(image.name) \(setting.name)")
            }
        }
    }

    @Test func defaultsAreTheOriginalPipelines() {
        #expect(model.configuration.defaults == GenerationOptions(numBeams: 4, maxLength: 16))
        #expect(model.configuration.decoderStartTokenID == 330)
        #expect(model.configuration.endTokenID == 330)
    }

    @Test func tokenizerDecodesLikeTransformers() {
        for sample in manifest.decoding {
            #expect(model.tokenizer.decode(sample.tokens) == sample.text)
        }
    }

    @Test func concurrentCaptionsEqualSequentialOnes() throws {
        let image = try #require(manifest.images.first)
        let rgb = try VitGPT2Fixtures.bytes("\(image.name).rgb")
        let expected = try model.generate(rgb: rgb, width: image.width, height: image.height)
        let results = Results(count: 6)
        DispatchQueue.concurrentPerform(iterations: 6) { index in
            let options = GenerationOptions(numBeams: index % 2 == 0 ? 4 : 1)
            results.set(
                index,
                try? model.generate(
                    rgb: rgb, width: image.width, height: image.height,
                    options: options))
        }
        let greedy = try model.generate(rgb: rgb, width: image.width, height: image.height, options: .greedy())
        for index in 0..<6 {
            #expect(results.get(index) == (index % 2 == 0 ? expected : greedy))
        }
    }
}

/// Results written by concurrent workers. `@unchecked Sendable`: every access holds `lock`.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Generation?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Generation?) {
        lock.withLock { values[index] = value }
    }

    func get(_ index: Int) -> Generation? {
        lock.withLock { values[index] }
    }
}
