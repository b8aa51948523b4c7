import Foundation
import Mustache

/// The page templates (`Resources/templates/*.mustache`), parsed once. Every `{{value}}` is
/// HTML-escaped by Mustache; `{{{value}}}` is used only for markup this module drew itself (SVG).
enum Templates {
    static let library: MustacheLibrary = {
        guard let folder = Bundle.module.url(forResource: "templates", withExtension: nil, subdirectory: "Resources"),
              let files = try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) else {
            preconditionFailure("CallViews resources missing: templates/")
        }
        var templates: [String: MustacheTemplate] = [:]
        for file in files where file.pathExtension == "mustache" {
            do {
                templates[file.deletingPathExtension().lastPathComponent] = try MustacheTemplate(string: String(contentsOf: file, encoding: .utf8))
            } catch {
                preconditionFailure("\(file.lastPathComponent): \(error)")  // a broken template is a build defect
            }
        }
        return MustacheLibrary(templates: templates)
    }()

    static func render(_ name: String, _ context: [String: Any]) -> String {
        guard let page = library.render(context, withTemplate: name) else { preconditionFailure("no template \(name)") }
        return page
    }
}
