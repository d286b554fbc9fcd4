//! The department tree: codes, names, parents and address book
//! permissions. The root department (code 1) always exists and can be
//! neither moved nor deleted.

use serde_json::{Map, Value, json};

use super::{CORP_ID, CORP_NAME, Directory, ROOT_DEPT, int_of, text_of};
use crate::codes::{
    Failure, MMC_PARAM_INVALID, USG_DEPT_EXISTS, USG_DEPT_NOT_EMPTY, USG_DEPT_NOT_FOUND,
};

/// How deep the tree may be (the root is level 1).
pub(crate) const MAX_DEPTH: usize = 10;
/// How many direct sub-departments a department may have.
pub(crate) const MAX_CHILDREN: usize = 100;

/// A department.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Department {
    pub code: String,
    pub name: String,
    /// `None` only for the root.
    pub parent: Option<String>,
    pub note: Option<String>,
    pub in_permission: Option<String>,
    pub out_permission: Option<String>,
    pub designated_out: Vec<String>,
    pub sort_level: i64,
}

impl Department {
    /// The root department, named after the enterprise.
    pub(crate) fn root() -> Self {
        Department {
            code: ROOT_DEPT.to_owned(),
            name: CORP_NAME.to_owned(),
            parent: None,
            note: None,
            in_permission: None,
            out_permission: None,
            designated_out: Vec::new(),
            sort_level: 0,
        }
    }
}

/// 404 for a department code nobody uses.
pub(crate) fn not_found(code: &str) -> Failure {
    Failure::new(
        404,
        USG_DEPT_NOT_FOUND,
        format!("no department has the code `{code}`"),
    )
}

impl Directory {
    /// The department with this code.
    pub(crate) fn department(&self, code: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.code == code)
    }

    /// The department with this code, or 404.
    pub(crate) fn existing_department(&self, code: &str) -> Result<&Department, Failure> {
        self.department(code).ok_or_else(|| not_found(code))
    }

    /// The department and its ancestors, the root last.
    fn lineage(&self, code: &str) -> Vec<&Department> {
        let mut out = Vec::new();
        let mut next = self.department(code);
        // The tree has no cycle (updates refuse one); the bound is a
        // guard all the same.
        while let Some(d) = next {
            if out.len() > self.departments.len() {
                break;
            }
            out.push(d);
            next = d.parent.as_deref().and_then(|p| self.department(p));
        }
        out
    }

    /// Level in the tree (the root is 1).
    pub(crate) fn level(&self, code: &str) -> usize {
        self.lineage(code).len()
    }

    /// `Root/Parent/Dept`, the names from the root down.
    pub(crate) fn name_path(&self, code: &str) -> String {
        let mut names: Vec<&str> = self.lineage(code).iter().map(|d| d.name.as_str()).collect();
        names.reverse();
        names.join("/")
    }

    /// `1/…/code`, the codes from the root down.
    pub(crate) fn code_path(&self, code: &str) -> String {
        let mut codes: Vec<&str> = self.lineage(code).iter().map(|d| d.code.as_str()).collect();
        codes.reverse();
        codes.join("/")
    }

    /// The direct sub-departments, by `sortLevel` then age.
    pub(crate) fn children(&self, code: &str) -> Vec<&Department> {
        let mut out: Vec<&Department> = self
            .departments
            .iter()
            .filter(|d| d.parent.as_deref() == Some(code))
            .collect();
        out.sort_by_key(|d| d.sort_level);
        out
    }

    /// Whether `code` is `ancestor` or lies below it.
    pub(crate) fn is_within(&self, code: &str, ancestor: &str) -> bool {
        self.lineage(code).iter().any(|d| d.code == ancestor)
    }

    /// A department as the administrator APIs describe it
    /// (`QueryDeptResultDto`).
    pub(crate) fn department_json(&self, d: &Department) -> Value {
        let mut out = json!({
            "deptCode": d.code,
            "deptLevel": self.level(&d.code),
            "deptName": d.name,
            "deptNamePath": self.name_path(&d.code),
            "isLeafNode": self.children(&d.code).is_empty(),
            "deptCodePath": self.code_path(&d.code),
            "corpId": CORP_ID,
            "designatedOutDeptCodes": d.designated_out.iter().map(|code| json!({
                "id": code,
                "mark": self.department(code).map(|d| d.name.as_str()).unwrap_or_default(),
            })).collect::<Vec<_>>(),
            "sortLevel": d.sort_level,
        });
        if let Some(map) = out.as_object_mut() {
            let optional = [
                ("parentDeptCode", &d.parent),
                ("note", &d.note),
                ("inPermission", &d.in_permission),
                ("outPermission", &d.out_permission),
            ];
            for (name, value) in optional {
                if let Some(value) = value {
                    map.insert(name.to_owned(), Value::from(value.as_str()));
                }
            }
        }
        out
    }

    /// Checks that `parent` can take one more child named `name`
    /// (`moving`: the department being moved under it, if any).
    fn check_parent(&self, parent: &str, name: &str, moving: Option<&str>) -> Result<(), Failure> {
        self.existing_department(parent)?;
        if let Some(code) = moving
            && self.is_within(parent, code)
        {
            return Err(Failure::new(
                400,
                MMC_PARAM_INVALID,
                format!(
                    "invalid parameter `parentDeptCode`: `{parent}` is department `{code}` or lies below it"
                ),
            ));
        }
        let siblings: Vec<&Department> = self
            .children(parent)
            .into_iter()
            .filter(|d| Some(d.code.as_str()) != moving)
            .collect();
        if siblings.iter().any(|d| d.name == name) {
            return Err(Failure::new(
                400,
                USG_DEPT_EXISTS,
                format!("department `{parent}` already has a sub-department named `{name}`"),
            ));
        }
        if siblings.len() >= MAX_CHILDREN {
            return Err(Failure::new(
                400,
                MMC_PARAM_INVALID,
                format!(
                    "department `{parent}` already has {MAX_CHILDREN} sub-departments, the most allowed"
                ),
            ));
        }
        // The moved department's own subtree deepens with it.
        let below = moving.map_or(1, |code| self.subtree_height(code));
        if self.level(parent) + below > MAX_DEPTH {
            return Err(Failure::new(
                400,
                MMC_PARAM_INVALID,
                format!("the department tree may be at most {MAX_DEPTH} levels deep"),
            ));
        }
        Ok(())
    }

    /// Levels from `code` down to its deepest descendant (1 for a leaf).
    fn subtree_height(&self, code: &str) -> usize {
        self.departments
            .iter()
            .filter(|d| self.is_within(&d.code, code))
            .map(|d| self.level(&d.code) + 1 - self.level(code))
            .max()
            .unwrap_or(1)
    }

    /// `add_department`: the new department's code.
    pub(crate) fn add_department(&mut self, body: &Map<String, Value>) -> Result<String, Failure> {
        let name = text_of(body, "deptName").ok_or_else(|| {
            Failure::new(
                400,
                MMC_PARAM_INVALID,
                "missing required parameter `deptName`",
            )
        })?;
        let parent = text_of(body, "parentDeptCode").unwrap_or_else(|| ROOT_DEPT.to_owned());
        self.check_parent(&parent, &name, None)?;
        let code = match text_of(body, "deptCode") {
            Some(code) if self.department(&code).is_some() => {
                return Err(Failure::new(
                    400,
                    USG_DEPT_EXISTS,
                    format!("a department with the code `{code}` already exists"),
                ));
            }
            Some(code) => code,
            None => loop {
                let code = format!("{}", 1000 + self.next_number());
                if self.department(&code).is_none() {
                    break code;
                }
            },
        };
        let mut department = Department {
            code: code.clone(),
            name,
            parent: Some(parent),
            note: None,
            in_permission: None,
            out_permission: None,
            designated_out: Vec::new(),
            sort_level: 0,
        };
        self.apply(&mut department, body)?;
        self.departments.push(department);
        Ok(code)
    }

    /// Copies the optional settings of a body into a department.
    fn apply(&self, d: &mut Department, body: &Map<String, Value>) -> Result<(), Failure> {
        if let Some(note) = text_of(body, "note") {
            d.note = Some(note);
        }
        if let Some(p) = text_of(body, "inPermission") {
            d.in_permission = Some(p);
        }
        if let Some(p) = text_of(body, "outPermission") {
            d.out_permission = Some(p);
        }
        if let Some(level) = int_of(body, "sortLevel") {
            d.sort_level = level;
        }
        if let Some(codes) = body.get("designatedOutDeptCodes").and_then(Value::as_array) {
            let mut out = Vec::new();
            for code in codes.iter().filter_map(Value::as_str) {
                self.existing_department(code)?;
                out.push(code.to_owned());
            }
            d.designated_out = out;
        }
        Ok(())
    }

    /// `update_department`: changes what the body names.
    pub(crate) fn update_department(
        &mut self,
        code: &str,
        body: &Map<String, Value>,
    ) -> Result<(), Failure> {
        let mut d = self.existing_department(code)?.clone();
        let name = text_of(body, "deptName").unwrap_or_else(|| d.name.clone());
        let parent = text_of(body, "parentDeptCode");
        if d.parent.is_none() && parent.is_some() {
            return Err(Failure::new(
                400,
                MMC_PARAM_INVALID,
                "the root department (code 1) cannot be moved",
            ));
        }
        if let Some(parent) = parent.clone().or_else(|| d.parent.clone()) {
            self.check_parent(&parent, &name, Some(code))?;
        }
        d.name = name;
        if parent.is_some() {
            d.parent = parent;
        }
        self.apply(&mut d, body)?;
        if let Some(slot) = self.departments.iter_mut().find(|x| x.code == code) {
            *slot = d;
        }
        Ok(())
    }

    /// `delete_department`: only an empty department other than the root.
    pub(crate) fn delete_department(&mut self, code: &str) -> Result<(), Failure> {
        self.existing_department(code)?;
        if code == ROOT_DEPT {
            return Err(Failure::new(
                400,
                USG_DEPT_NOT_EMPTY,
                "the root department (code 1) cannot be deleted",
            ));
        }
        if !self.children(code).is_empty() {
            return Err(Failure::new(
                400,
                USG_DEPT_NOT_EMPTY,
                format!("department `{code}` has sub-departments: delete or move them first"),
            ));
        }
        if self.users.iter().any(|u| u.dept_code == code) {
            return Err(Failure::new(
                400,
                USG_DEPT_NOT_EMPTY,
                format!("department `{code}` has users: move them to another department first"),
            ));
        }
        self.departments.retain(|d| d.code != code);
        for d in &mut self.departments {
            d.designated_out.retain(|c| c != code);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn the_tree_is_at_most_ten_levels_deep() {
        let mut dir = Directory::new(&[]);
        let mut parent = ROOT_DEPT.to_owned();
        for level in 2..=MAX_DEPTH {
            parent = dir
                .add_department(&body(
                    json!({"deptName": format!("L{level}"), "parentDeptCode": parent}),
                ))
                .unwrap();
        }
        assert_eq!(dir.level(&parent), MAX_DEPTH);
        let err = dir
            .add_department(&body(
                json!({"deptName": "too deep", "parentDeptCode": parent}),
            ))
            .unwrap_err();
        assert!(err.msg.contains("10 levels"), "{}", err.msg);
    }

    #[test]
    fn a_move_keeps_the_subtree_within_the_depth_limit() {
        let mut dir = Directory::new(&[]);
        let mut chain = ROOT_DEPT.to_owned();
        for level in 2..=6 {
            chain = dir
                .add_department(&body(
                    json!({"deptName": format!("A{level}"), "parentDeptCode": chain}),
                ))
                .unwrap();
        }
        // A subtree three levels high under a level-6 department would
        // reach level 9: allowed; under level 8 it would not be.
        let top = dir.add_department(&body(json!({"deptName": "B"}))).unwrap();
        let mid = dir
            .add_department(&body(json!({"deptName": "B2", "parentDeptCode": top})))
            .unwrap();
        dir.add_department(&body(json!({"deptName": "B3", "parentDeptCode": mid})))
            .unwrap();
        dir.update_department(&top, &body(json!({"parentDeptCode": chain})))
            .unwrap();
        assert_eq!(dir.level(&top), 7);
        assert_eq!(dir.code_path(&top).split('/').count(), 7);
        for level in 7..=8 {
            chain = dir
                .add_department(&body(
                    json!({"deptName": format!("A{level}"), "parentDeptCode": chain}),
                ))
                .unwrap();
        }
        let err = dir
            .update_department(&top, &body(json!({"parentDeptCode": chain})))
            .unwrap_err();
        assert_eq!(err.status, 400);
    }

    #[test]
    fn the_root_cannot_be_moved_or_deleted() {
        let mut dir = Directory::new(&[]);
        let other = dir.add_department(&body(json!({"deptName": "X"}))).unwrap();
        let err = dir
            .update_department(ROOT_DEPT, &body(json!({"parentDeptCode": other})))
            .unwrap_err();
        assert!(err.msg.contains("cannot be moved"), "{}", err.msg);
        assert_eq!(
            dir.delete_department(ROOT_DEPT).unwrap_err().code,
            USG_DEPT_NOT_EMPTY
        );
        // Renaming it is fine.
        dir.update_department(ROOT_DEPT, &body(json!({"deptName": "Corp"})))
            .unwrap();
        assert_eq!(dir.name_path(&other), "Corp/X");
    }
}
