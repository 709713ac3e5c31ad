import Foundation
import Tensors
import Testing
import VitGPT2

/// Loading a model folder: dtypes, and errors that name the file and the tensor.
@Suite struct VitGPT2LoadingTests {
    /// A copy of the tiny model in a fresh temporary folder, to damage.
    private func copyOfTinyModel() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vitgpt2-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: VitGPT2Fixtures.modelDirectory, to: folder)
        return folder
    }

    /// The error from loading a copy of the tiny model whose `config.json` has `original` replaced.
    private func loadErrorAfterEditingConfig(_ original: String, _ replacement: String) throws -> VitGPT2Error? {
        let folder = try copyOfTinyModel()
        defer { try? FileManager.default.removeItem(at: folder) }
        let configURL = folder.appendingPathComponent("config.json")
        let config = try String(contentsOf: configURL, encoding: .utf8)
        #expect(config.contains(original))
        try config.replacingOccurrences(of: original, with: replacement)
            .write(to: configURL, atomically: true, encoding: .utf8)
        return loadError(folder)
    }

    private func loadError(_ folder: URL) -> VitGPT2Error? {
        do {
            _ = try VitGPT2Model(directory: folder)
            return nil
        } catch {
            return error as? VitGPT2Error
        }
    }

    @Test func halfAndBFloat16TensorsConvertToFloat() throws {
        let file = try SafeTensors(path: VitGPT2Fixtures.directory.appendingPathComponent("dtypes.safetensors").path)
        let expected = try JSONDecoder().decode(
            [String: [Double]].self,
            from: Data(
                contentsOf: VitGPT2Fixtures.directory.appendingPathComponent("dtypes.json")))
        for name in ["as_f32", "as_f16", "as_bf16"] {
            let values = try file.floats(name, shape: [2, 4])
            #expect(values == expected[name]?.map { Float($0) }, "\(name)")
        }
    }

    @Test func aShapeThatDisagreesWithTheConfigNamesFileAndTensor() throws {
        let error = try #require(
            try loadErrorAfterEditingConfig(
                "\"intermediate_size\": 64",
                "\"intermediate_size\": 65"))
        #expect(error.code == .inconsistentModel)
        #expect(error.message.contains("model.safetensors"))
        #expect(error.message.contains("encoder.encoder.layer.0.intermediate.dense.weight"))
    }

    @Test func aMissingTensorIsNamed() throws {
        let error = try #require(try loadErrorAfterEditingConfig("\"n_layer\": 2", "\"n_layer\": 3"))
        #expect(error.code == .inconsistentModel)
        #expect(error.message.contains("decoder.transformer.h.2."))
    }

    @Test func missingFilesAreNamed() throws {
        for name in ["vocab.json", "preprocessor_config.json", "config.json", "model.safetensors"] {
            let folder = try copyOfTinyModel()
            defer { try? FileManager.default.removeItem(at: folder) }
            try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
            let error = try #require(loadError(folder))
            #expect(error.code == .missingFile, "\(name)")
            #expect(error.message.contains(name), "\(name)")
        }
    }

    @Test func aPyTorchBinaryAloneAsksForTheConversion() throws {
        let folder = try copyOfTinyModel()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.moveItem(
            at: folder.appendingPathComponent("model.safetensors"),
            to: folder.appendingPathComponent("pytorch_model.bin"))
        let error = try #require(loadError(folder))
        #expect(error.message.contains("scripts/convert_pytorch_bin.py"))
    }

    @Test func invalidImagesAndOptionsAreRejected() throws {
        let model = try VitGPT2Model(directory: VitGPT2Fixtures.modelDirectory)
        #expect(throws: VitGPT2Error.self) {
            try model.generate(rgb: [1, 2, 3], width: 2, height: 2)
        }
        #expect(throws: VitGPT2Error.self) {
            try model.generate(
                rgb: [UInt8](repeating: 0, count: 12), width: 2, height: 2,
                options: GenerationOptions(numBeams: 4, maxLength: 1000))
        }
    }
}
