import Foundation

/// Recognises the text that image generators store about a generation (prompt, sampler, seed …) and
/// names the generator.
enum GeneratorSignature {
    /// Names found in a `Software`/`CreatorTool` value that mean the image came from a generator.
    /// Matched case-insensitively as substrings.
    static let generatorSoftwareNames = [
        "NovelAI", "Stable Diffusion", "AUTOMATIC1111", "ComfyUI", "InvokeAI", "Fooocus", "Midjourney",
        "DALL-E", "DALL·E", "Firefly", "DreamStudio", "Leonardo.Ai", "Generative Fill", "Generative Expand",
    ]

    /// The generator named by a `Software`-like value, or nil.
    static func generator(inSoftware software: String) -> String? {
        let lowered = software.lowercased()
        return generatorSoftwareNames.first { lowered.contains($0.lowercased()) }
    }

    /// The generator whose settings text this is, or nil when it is not generator text.
    ///
    /// - AUTOMATIC1111/Forge: a prompt, an optional `Negative prompt:` line, then a settings line with
    ///   `Steps: N` and at least one of `Sampler:`, `CFG scale:`, `Seed:`, `Size:` (Forge writes a
    ///   `Version: f…` entry).
    /// - JSON objects: Fooocus (`version` naming Fooocus, or prompt + `base_model`/`guidance_scale`),
    ///   ComfyUI (nodes with `class_type`), InvokeAI (`generation_mode`/`positive_prompt`),
    ///   NovelAI (`uc` with `steps`/`sampler`), or any object with a prompt and steps/seed/sampler.
    static func generator(inSettingsText text: String) -> String? {
        if isA1111(text) {
            return text.range(of: #"Version: f\d"#, options: .regularExpression) != nil ? "Forge" : "AUTOMATIC1111"
        }
        guard let object = jsonObject(text) else { return nil }
        return generator(inJSON: object)
    }

    static func jsonObject(_ text: String) -> [String: Any]? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("{"), let data = trimmed.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// Whether a JSON object is a ComfyUI node graph (API `prompt`: nodes with `class_type`).
    static func isComfyPrompt(_ object: [String: Any]) -> Bool {
        object.values.contains { ($0 as? [String: Any])?["class_type"] != nil }
    }

    private static func generator(inJSON object: [String: Any]) -> String? {
        let keys = Set(object.keys)
        if let version = object["version"] as? String, version.lowercased().contains("fooocus") { return "Fooocus" }
        if keys.contains("prompt"), keys.contains("base_model") || keys.contains("guidance_scale") {
            return "Fooocus"
        }
        if isComfyPrompt(object) || (keys.contains("nodes") && keys.contains("last_node_id")) { return "ComfyUI" }
        if keys.contains("generation_mode") || keys.contains("positive_prompt") { return "InvokeAI" }
        if keys.contains("uc"), keys.contains("steps") || keys.contains("sampler") { return "NovelAI" }
        let hasPrompt = keys.contains("prompt") || keys.contains("negative_prompt")
        let hasSettings = keys.contains("steps") || keys.contains("seed") || keys.contains("sampler")
        return hasPrompt && hasSettings ? "generator JSON" : nil
    }

    private static func isA1111(_ text: String) -> Bool {
        guard let steps = text.range(of: #"(^|\n|, )Steps: \d+"#, options: .regularExpression) else {
            return false
        }
        let settings = text[steps.lowerBound...]
        return ["Sampler: ", "CFG scale: ", "Seed: ", "Size: "].contains { settings.contains($0) }
    }
}
