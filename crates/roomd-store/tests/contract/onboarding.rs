//! Onboarding QR codes on both backends: a code is checked against the dimensions, a
//! registration becomes a user at once or after approval, and duplicates are refused.

use roomd_core::onboarding::{
    DimOption, Dimension, DimensionKind, I18n, RawValue, RegistrationForm, RegistrationState, Value,
};

use super::{backends, company, refused};
use roomd_core::DomainError;

fn name(s: &str) -> I18n {
    I18n { zh_cn: s.into(), en_us: s.into() }
}

fn dims() -> Vec<Dimension> {
    vec![
        Dimension {
            api_name: "department".into(),
            display_name: name("部门"),
            kind: DimensionKind::Single,
            options: vec![],
        },
        Dimension {
            api_name: "level".into(),
            display_name: name("级别"),
            kind: DimensionKind::Multi,
            options: vec![
                DimOption { value: "p1".into(), name: name("P1") },
                DimOption { value: "p2".into(), name: name("P2") },
            ],
        },
    ]
}

fn form(account: &str) -> RegistrationForm {
    RegistrationForm {
        name: "n".into(),
        account: account.into(),
        phone: format!("138{:08}", account.len()),
        email: format!("{account}@x.test"),
        password: "password1".into(),
    }
}

#[tokio::test]
async fn codes_registrations_and_approvals_behave_alike_on_both_backends() {
    for b in backends().await {
        let (s, c) = (&b.store, company(&b.store).await);
        let none = s.create_qr_code(&c, "app".into(), vec![]).await;
        assert_eq!(refused(none), DomainError::NoDimensions, "{}", b.name);
        let dept = s
            .add_dept(&c, None, roomd_core::directory::DeptPatch { name: Some("研发".into()), ..Default::default() })
            .await
            .expect("dept")
            .id;
        let saved = s.save_onboarding_dimensions(&c, dims()).await.expect("saved");
        assert_eq!(saved[0].options[0].value, dept.as_str(), "{}: department options", b.name);

        let values = vec![
            RawValue {
                api_name: Some("department".into()),
                select_value: Some(dept.to_string()),
                ..Default::default()
            },
            RawValue {
                api_name: Some("level".into()),
                multi_select_value: Some(vec!["p2".into()]),
                ..Default::default()
            },
        ];
        let bad =
            vec![RawValue { api_name: Some("level".into()), select_value: Some("p1".into()), ..Default::default() }];
        assert!(matches!(refused(s.create_qr_code(&c, "app".into(), bad).await), DomainError::Violations(_)));
        let (code, _) = s.create_qr_code(&c, "app".into(), values).await.expect("code");
        assert_eq!(code.values[1].value, Value::Multi(vec!["p2".into()]));

        let reg = s.register(code.sign_key.clone(), form("direct"), None).await.expect("registered");
        assert_eq!(reg.state, RegistrationState::Approved, "{}", b.name);
        let user = s.user(&c, reg.user.clone().expect("user")).await.expect("user");
        assert_eq!(user.department, Some(dept.clone()));
        assert_eq!(user.dimensions, code.values);
        assert!(matches!(
            refused(s.register(code.sign_key.clone(), form("direct"), None).await),
            DomainError::Violations(_)
        ));

        s.set_onboarding_approval(&c, true).await.expect("setting");
        let waiting = s.register(code.sign_key.clone(), form("later"), None).await.expect("pending");
        assert_eq!(waiting.state, RegistrationState::Pending);
        let pending = s.registrations(&c, Some(code.id.clone()), Some(RegistrationState::Pending)).await.expect("list");
        assert_eq!(pending.len(), 1);
        let approved = s.decide_registration(&c, waiting.id.clone(), true, String::new()).await.expect("approved");
        assert!(approved.user.is_some());
        let again = s.decide_registration(&c, waiting.id.clone(), false, String::new()).await;
        assert_eq!(refused(again), DomainError::RegistrationDecided);

        let summaries = s.qr_codes(&c).await.expect("codes");
        assert_eq!((summaries[0].registrations, summaries[0].pending), (2, 0), "{}", b.name);
        s.set_qr_code_active(&c, "app".into(), code.id.clone(), false).await.expect("deactivated");
        assert!(matches!(
            refused(s.register(code.sign_key.clone(), form("late"), None).await),
            DomainError::Violations(_)
        ));
        assert_eq!(refused(s.register("nope".into(), form("x"), None).await), DomainError::QrCodeNotExist);
    }
}
