//! The derivation of resources on a small spec written for it and on Dixa's spec.

#[cfg(test)]
mod tests {
    use crate::ir::resources::*;
    use crate::ir::Api;
    use crate::policy::{NameLock, Renames};
    use std::path::Path;

    /// A small spec: a collection of widgets (create, paginated list, get, patch, delete), a POST
    /// that reads an item by id (no create), notes nested under a widget, and labels attached to a
    /// widget by a labels collection's id.
    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /widgets:
    get:
      operationId: listWidgets
      parameters:
        - {name: pageKey, in: query, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/WidgetPage'}}}}
    post:
      operationId: createWidget
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/CreateWidget'}}}}
      responses:
        '201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/WidgetOut'}}}}
  /widgets/{widgetId}:
    parameters:
      - {name: widgetId, in: path, required: true, schema: {type: integer, format: int64}}
    get:
      operationId: getWidget
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/WidgetOut'}}}}
    patch:
      operationId: patchWidget
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/PatchWidget'}}}}
      responses:
        '204': {description: ok}
    delete:
      operationId: deleteWidget
      responses:
        '204': {description: ok}
  /widgets/{widgetId}/notes:
    parameters:
      - {name: widgetId, in: path, required: true, schema: {type: integer, format: int64}}
    get:
      operationId: listNotes
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/NoteList'}}}}
    post:
      operationId: addNote
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/CreateNote'}}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/NoteOut'}}}}
  /labels:
    post:
      operationId: createLabel
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/CreateLabel'}}}}
      responses:
        '201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/LabelOut'}}}}
  /labels/{labelId}:
    get:
      operationId: getLabel
      parameters:
        - {name: labelId, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/LabelOut'}}}}
  /widgets/{widgetId}/labels:
    get:
      operationId: listWidgetLabels
      parameters:
        - {name: widgetId, in: path, required: true, schema: {type: integer, format: int64}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/LabelList'}}}}
  /widgets/{widgetId}/labels/{labelId}:
    parameters:
      - {name: widgetId, in: path, required: true, schema: {type: integer, format: int64}}
      - {name: labelId, in: path, required: true, schema: {type: string, format: uuid}}
    put:
      operationId: labelWidget
      responses:
        '204': {description: ok}
    delete:
      operationId: unlabelWidget
      responses:
        '204': {description: ok}
  /reports:
    post:
      operationId: runReport
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/ReportQuery'}}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/ReportOut'}}}}
  /reports/{reportId}:
    get:
      operationId: getReport
      parameters:
        - {name: reportId, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/ReportOut'}}}}
components:
  schemas:
    Widget:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, format: int64}
        name: {type: string}
        size: {type: integer, format: int32}
        color: {type: string}
    WidgetOut:
      type: object
      required: [data]
      properties: {data: {$ref: '#/components/schemas/Widget'}}
    WidgetPage:
      type: object
      required: [data]
      properties:
        data: {type: array, items: {$ref: '#/components/schemas/Widget'}}
        meta: {type: object, properties: {next: {type: string}, previous: {type: string}}}
    CreateWidget:
      type: object
      required: [name]
      properties:
        name: {type: string}
        size: {type: integer, format: int32}
        color: {type: integer}
    PatchWidget:
      type: object
      properties: {name: {type: string}}
    Note:
      type: object
      required: [id, text]
      properties:
        id: {type: string, format: uuid}
        text: {type: string}
    NoteOut:
      type: object
      required: [data]
      properties: {data: {$ref: '#/components/schemas/Note'}}
    NoteList:
      type: object
      required: [data]
      properties: {data: {type: array, items: {$ref: '#/components/schemas/Note'}}}
    CreateNote:
      type: object
      required: [text]
      properties: {text: {type: string}}
    Label:
      type: object
      required: [id, name]
      properties:
        id: {type: string, format: uuid}
        name: {type: string}
    LabelOut:
      type: object
      required: [data]
      properties: {data: {$ref: '#/components/schemas/Label'}}
    LabelList:
      type: object
      required: [data]
      properties: {data: {type: array, items: {$ref: '#/components/schemas/Label'}}}
    CreateLabel:
      type: object
      required: [name]
      properties: {name: {type: string}}
    Report:
      type: object
      required: [id]
      properties:
        id: {type: string}
        rows: {type: array, items: {type: string}}
    ReportOut:
      type: object
      required: [data]
      properties: {data: {$ref: '#/components/schemas/Report'}}
    ReportQuery:
      type: object
      required: [id]
      properties: {id: {type: string}}
    "#;

    fn small() -> Api {
        let tree = crate::load::parse_yaml(Path::new("resources.yaml"), SPEC).unwrap();
        crate::lower::lower(
            &crate::lower::parse(tree).unwrap(),
            &Renames::none(),
            &NameLock::none(),
        )
        .unwrap()
    }

    fn roles(resource: &Resource) -> Vec<(&str, &str)> {
        resource
            .operations
            .iter()
            .map(|op| (op.role.as_str(), op.operation.as_str()))
            .collect()
    }

    #[test]
    fn operations_map_to_their_resources() {
        let found = resources(&small());
        let paths: Vec<&str> = found.iter().map(|r| r.collection.as_str()).collect();
        // `/reports` is not a collection: its POST sends the id of the report it reads.
        assert_eq!(
            paths,
            [
                "/labels",
                "/widgets",
                "/widgets/{widgetId}/labels",
                "/widgets/{widgetId}/notes"
            ]
        );
        let widgets = &found[1];
        assert_eq!(
            widgets.kind,
            ResourceKind::Stored {
                item: "Widget".to_owned(),
                id: IdKind::Integer
            }
        );
        assert_eq!(widgets.item.as_deref(), Some("/widgets/{widgetId}"));
        assert_eq!(widgets.id_param.as_deref(), Some("widgetId"));
        assert_eq!(
            roles(widgets),
            [
                ("create", "createWidget"),
                ("list", "listWidgets"),
                ("get", "getWidget"),
                ("update", "patchWidget"),
                ("delete", "deleteWidget"),
            ]
        );
        let create = &widgets.operations[0];
        assert_eq!((create.shape, create.status), (Shape::Data, 201));
        // `color` is an integer in the body and a string in the item: not copied.
        assert_eq!(create.copied, ["name", "size"]);
        assert_eq!(widgets.operations[1].shape, Shape::Page);
        assert_eq!(widgets.operations[3].shape, Shape::Empty);

        let notes = &found[3];
        assert_eq!(notes.parent.as_deref(), Some("/widgets"));
        assert_eq!(notes.item, None);
        assert_eq!(roles(notes), [("create", "addNote"), ("list", "listNotes")]);

        let labels = &found[2];
        assert_eq!(
            labels.kind,
            ResourceKind::Links {
                target: "/labels".to_owned()
            }
        );
        assert_eq!(labels.parent.as_deref(), Some("/widgets"));
        assert_eq!(
            roles(labels),
            [
                ("list", "listWidgetLabels"),
                ("attach", "labelWidget"),
                ("detach", "unlabelWidget"),
            ]
        );
    }

    /// The derivation on Dixa's spec, held to `resources_beta.txt`: a spec change that adds,
    /// drops or reshapes a resource shows in its diff (`UPDATE_RESOURCES=1` rewrites it).
    #[test]
    fn the_beta_spec_derives_its_collections() {
        let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/dixa-api.yaml");
        let api = crate::api(&crate::Config::beside(spec)).unwrap();
        let text = describe(&resources(&api));
        let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ir/resources_beta.txt");
        if std::env::var_os("UPDATE_RESOURCES").is_some() {
            std::fs::write(&snapshot, &text).unwrap();
        }
        assert_eq!(text, std::fs::read_to_string(&snapshot).unwrap_or_default());
        // What the kit promises, whatever else the spec grows.
        for collection in [
            "/beta/endusers",
            "/beta/tags",
            "/beta/agents",
            "/beta/teams",
            "/beta/queues",
            "/beta/conversations",
            "/beta/conversations/{conversationId}/notes",
            "/beta/conversations/{conversationId}/tags",
        ] {
            assert!(
                text.contains(&format!("\n{collection} "))
                    || text.starts_with(&format!("{collection} ")),
                "{collection}"
            );
        }
    }
}
